namespace Weir.Client;

/// <summary>How a <see cref="WeirClient"/> reaches the server and behaves when it cannot.</summary>
public sealed class WeirClientOptions
{
    /// <summary>The server's address, e.g. <c>http://127.0.0.1:4200</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The credential sent as a bearer token: an admin or worker key, or a run's token. <value>Defaults to none (a server without keys).</value></summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Who is calling, sent as the <c>User-Agent</c> product (<c>weir-worker</c>, <c>weir-runner</c>, <c>weir-cli</c>) so the
    /// server can tell a run's protocol cost apart from other callers. <value>Defaults to <c>weir</c>.</value>
    /// </summary>
    public string Agent { get; init; } = "weir";

    /// <summary>
    /// How long to keep retrying a call the server could not take: refused connections (the server is
    /// restarting) and 503 answers (its database is unavailable; nothing was changed), waiting as the
    /// server's Retry-After says. Both mean the request was not applied, so trying again is safe.
    /// <value>Defaults to zero (fail at once, as the CLI wants); workers and flow processes wait minutes.</value>
    /// </summary>
    public TimeSpan RetryUnavailable { get; init; }

    /// <summary>How long one request may take. <value>Defaults to 100 s (a long poll waits at most 60).</value></summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The clock of retry deadlines and waits. <value>Defaults to <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Sends the requests (tests, proxies). <value>Defaults to a pooled socket handler.</value></summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>
    /// The environment variable that hands a run's token (<see cref="ClaimedRun.RunToken"/>) to what runs for it outside
    /// the worker: a container's runner and shell steps. Flow processes get theirs with each run, never in their environment.
    /// </summary>
    public const string RunTokenVariable = "WEIR_RUN_TOKEN";

    /// <summary>
    /// Options for the server the <c>weir</c> command would use: <c>WEIR_API_URL</c> and <c>WEIR_API_KEY</c> (else the run
    /// token in <see cref="RunTokenVariable"/>), each when set; else the profile <c>WEIR_PROFILE</c> names, else the one
    /// <c>weir profile use</c> chose (profiles live in <c>profiles/</c> under <c>WEIR_HOME</c>, default <c>~/.weir</c>); else <c>http://127.0.0.1:4200</c> without a key.
    /// A profile's key is sent only to that profile's URL, so <c>WEIR_API_URL</c> naming another server gets no key from it.
    /// </summary>
    /// <exception cref="WeirException"><c>WEIR_API_URL</c> is not a URL, or the selected profile is missing or unreadable (or others may read its file).</exception>
    public static WeirClientOptions FromEnvironment(string agent = "weir")
    {
        var connection = WeirConnection.Resolve(Environment.GetEnvironmentVariable);
        return new WeirClientOptions
        {
            BaseUrl = connection.ApiUrl,
            ApiKey = connection.ApiKey,
            Agent = agent,
        };
    }
}
