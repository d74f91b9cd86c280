namespace Weir.Server;

/// <summary>Options for <see cref="WeirServer"/>.</summary>
public sealed class WeirServerOptions
{
    /// <summary>The address to bind. <value>Defaults to 127.0.0.1; without an API key only loopback is allowed.</value></summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. <value>Defaults to 4200.</value></summary>
    public int Port { get; init; } = 4200;

    /// <summary>Weir's home folder (database, secret key). <value>Defaults to <c>WEIR_HOME</c>, else <c>~/.weir</c>.</value></summary>
    public string WeirHome { get; init; } = Compiler.FlowCompilerOptions.DefaultWeirHome();

    /// <summary>The SQLite file. <value>Defaults to <c>{WeirHome}/weir.db</c>.</value></summary>
    public string? DatabasePath { get; init; }

    /// <summary>The admin API key. <value>Defaults to <c>WEIR_API_KEY</c>; none means no auth, loopback only.</value></summary>
    public string? ApiKey { get; init; } = Environment.GetEnvironmentVariable("WEIR_API_KEY") is { Length: > 0 } key ? key : null;

    /// <summary>A worker that has not heart-beaten for this long is lost; its runs are marked Crashed. <value>Defaults to 30 s.</value></summary>
    public TimeSpan WorkerSilence { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock. <value>Defaults to the system clock.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
