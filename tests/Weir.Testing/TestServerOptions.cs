using Microsoft.Extensions.Logging;
using Weir.Server.Storage;

namespace Weir.Testing;

/// <summary>
/// How <see cref="TestServer.StartAsync"/> sets up its server. Whatever is not set here is the server's default, except
/// what the machine's environment would otherwise decide (API keys, database, secret key), which a test server never takes from it.
/// </summary>
public sealed record TestServerOptions
{
    /// <summary>A PostgreSQL connection string. <value>Defaults to null: SQLite, a file in the server's home.</value></summary>
    public string? Postgres { get; init; }

    /// <summary>The admin API key. <value>Defaults to null: no key.</value></summary>
    public string? ApiKey { get; init; }

    /// <summary>The workers' API keys. <value>Defaults to none.</value></summary>
    public IReadOnlyList<string> WorkerApiKeys { get; init; } = [];

    /// <summary>The key secrets are encrypted with. <value>Defaults to <see cref="TestServer.DefaultSecretKey"/>; null lets the server make its own key file in its home.</value></summary>
    public string? SecretKey { get; init; } = TestServer.DefaultSecretKey;

    /// <summary>Whether the scheduler, late-run marker and crash detector run. <value>Defaults to true.</value></summary>
    public bool BackgroundServices { get; init; } = true;

    /// <summary>The server's clock. <value>Defaults to the system's.</value></summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The port on 127.0.0.1. <value>Defaults to 0: a free one.</value></summary>
    public int Port { get; init; }

    /// <summary>The server's WEIR_HOME. <value>Defaults to null: a new temp folder, removed when the server is disposed (a given one is kept).</value></summary>
    public string? Home { get; init; }

    /// <summary>How long a silent worker is alive. <value>Defaults to the server's default.</value></summary>
    public TimeSpan? WorkerSilence { get; init; }

    /// <summary>How often crashed runs are looked for. <value>Defaults to the server's default.</value></summary>
    public TimeSpan? CrashCheckInterval { get; init; }

    /// <summary>How often schedules are turned into runs. <value>Defaults to the server's default.</value></summary>
    public TimeSpan? ScheduleInterval { get; init; }

    /// <summary>How long a run's token holds after its attempt ended (null: the server's default).</summary>
    public TimeSpan? RunTokenGrace { get; init; }

    /// <summary>Wraps the server's store (fault injection). <value>Defaults to none.</value></summary>
    public Func<IWeirStore, IWeirStore>? StoreDecorator { get; init; }

    /// <summary>The <c>User-Agent</c> of <see cref="TestServer.Client"/>. <value>Defaults to the client's own.</value></summary>
    public string? ClientAgent { get; init; }

    /// <summary>Whether the server honours <c>X-Forwarded-*</c> headers (behind a TLS proxy).</summary>
    public bool ForwardedHeaders { get; init; }

    /// <summary>The proxies whose forwarded headers count when <see cref="ForwardedHeaders"/> is on (empty: loopback only).</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>Where the server logs. <value>Defaults to null: a new capture per server (give one to keep a log across a restart).</value></summary>
    public LogCapture? Log { get; init; }

    /// <summary>The lowest level <see cref="TestServer.Log"/> keeps. <value>Defaults to Debug.</value></summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Debug;
}
