namespace Weir.Server;

/// <summary>Options for <see cref="WeirServer"/>. Defaults come from the environment where one is named.</summary>
public sealed class WeirServerOptions
{
    /// <summary>The address to bind. <value>Defaults to 127.0.0.1; without an API key the server binds 127.0.0.1 whatever this says.</value></summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. <value>Defaults to 4200.</value></summary>
    public int Port { get; init; } = 4200;

    /// <summary>Weir's home folder (SQLite database, secret key file). <value>Defaults to <c>WEIR_HOME</c>, else <c>~/.weir</c>.</value></summary>
    public string WeirHome { get; init; } = Client.WeirHome.Default();

    /// <summary>The SQLite file. <value>Defaults to <c>{WeirHome}/weir.db</c>.</value></summary>
    public string? DatabasePath { get; init; }

    /// <summary>A PostgreSQL connection string (URL or key-value) to use instead of SQLite. <value>Defaults to <c>WEIR_DATABASE_URL</c>.</value></summary>
    public string? DatabaseUrl { get; init; } = Environment.GetEnvironmentVariable("WEIR_DATABASE_URL") is { Length: > 0 } url ? url : null;

    /// <summary>The admin API key. <value>Defaults to <c>WEIR_API_KEY</c>; none means no auth and loopback only.</value></summary>
    public string? ApiKey { get; init; } = Environment.GetEnvironmentVariable("WEIR_API_KEY") is { Length: > 0 } key ? key : null;

    /// <summary>
    /// Worker keys, each <c>NAME:KEY@POOL[,POOL...]</c> (<c>*</c> for every pool): a worker identity that may claim runs of
    /// its pools, heart-beat there, report the runs it claimed and reveal the blocks those runs' deployments declare.
    /// <value>Defaults to <c>WEIR_WORKER_API_KEYS</c> (entries separated by <c>;</c> or line breaks).</value>
    /// </summary>
    public IReadOnlyList<string> WorkerApiKeys { get; init; } =
        [.. (Environment.GetEnvironmentVariable("WEIR_WORKER_API_KEYS") ?? string.Empty).Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>
    /// How long a run token still holds after its run's attempt ended (the last logs of its flow process may still be on
    /// their way); after that it is refused. <value>Defaults to 1 minute.</value>
    /// </summary>
    public TimeSpan RunTokenGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The 32-byte secret key in base64. <value>Defaults to <c>WEIR_SECRET_KEY</c>, else a key file <c>secret.key</c> under <see cref="WeirHome"/> (created with mode 0600).</value></summary>
    public string? SecretKey { get; init; } = Environment.GetEnvironmentVariable("WEIR_SECRET_KEY") is { Length: > 0 } secret ? secret : null;

    /// <summary>
    /// A web UI login ends after this long without a page request (to the minute). <value>Defaults to 8 hours.</value>
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromHours(8);

    /// <summary>A web UI login ends this long after it began, however much it is used. <value>Defaults to 7 days.</value></summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Wrong keys the login page takes from one client (IP address; an IPv6 client by its /64) within
    /// <see cref="FailedLoginWindow"/>; the next attempt is answered 429 with Retry-After until the oldest failure
    /// leaves the window. <value>Defaults to 5.</value>
    /// </summary>
    public int MaxFailedLogins { get; init; } = 5;

    /// <summary>The window <see cref="MaxFailedLogins"/> counts in. <value>Defaults to 1 minute.</value></summary>
    public TimeSpan FailedLoginWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Behind a reverse proxy that terminates TLS: take the browser's scheme and address from the <c>X-Forwarded-Proto</c>
    /// and <c>X-Forwarded-For</c> headers that a proxy in <see cref="TrustedProxies"/> sends. The login cookie is then
    /// <c>Secure</c>, same-origin checks see <c>https</c>, and failed logins count per browser, not per proxy. The host
    /// name is never taken from the proxy (the loopback-only check of a server without a key reads the real one).
    /// <value>Defaults to <c>WEIR_FORWARDED_HEADERS</c> (<c>true</c> or <c>1</c>), else off.</value>
    /// </summary>
    public bool ForwardedHeaders { get; init; } = Environment.GetEnvironmentVariable("WEIR_FORWARDED_HEADERS") is { } forwarded
        && (forwarded.Equals("true", StringComparison.OrdinalIgnoreCase) || forwarded == "1");

    /// <summary>
    /// The proxies whose forwarded headers count (<see cref="ForwardedHeaders"/>): addresses (<c>10.0.0.5</c>) or networks
    /// (<c>10.0.0.0/8</c>). <value>Defaults to <c>WEIR_TRUSTED_PROXIES</c> (comma separated), else loopback only (a proxy on this machine).</value>
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } =
        [.. (Environment.GetEnvironmentVariable("WEIR_TRUSTED_PROXIES") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>A worker silent for this long is lost: its runs are marked Crashed. <value>Defaults to 30 s (the worker heart-beats every second).</value></summary>
    public TimeSpan WorkerSilence { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often to look for lost workers. <value>Defaults to 5 s.</value></summary>
    public TimeSpan CrashCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A Scheduled run this far past its start is renamed Late. <value>Defaults to 15 s.</value></summary>
    public TimeSpan LateAfter { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often to look for late runs. <value>Defaults to 5 s.</value></summary>
    public TimeSpan LateCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the scheduler runs. <value>Defaults to 10 s.</value></summary>
    public TimeSpan ScheduleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How far ahead schedules create runs. <value>Defaults to 1 hour.</value></summary>
    public TimeSpan ScheduleAhead { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most this many future runs per schedule and pass. <value>Defaults to 100.</value></summary>
    public int MaxScheduledRuns { get; init; } = 100;

    /// <summary>The largest request body. <value>Defaults to 1 MiB.</value></summary>
    public long MaxRequestBytes { get; init; } = 1024 * 1024;

    /// <summary>The largest event batch (task runs, states and logs on <c>/api/events</c>). <value>Defaults to 16 MiB.</value></summary>
    public long MaxEventBatchBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Run the scheduler, late-run marker and crash detector. <value>Defaults to true; tests turn them off to drive them by hand.</value></summary>
    public bool BackgroundServices { get; init; } = true;

    /// <summary>
    /// Wraps the store the API uses (instrumentation; the fault tests wrap it with a deliberately broken
    /// claim to prove their checks catch a doubled run). <value>Defaults to none.</value>
    /// </summary>
    public Func<Storage.IWeirStore, Storage.IWeirStore>? StoreDecorator { get; init; }

    /// <summary>The clock. <value>Defaults to the system clock.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
