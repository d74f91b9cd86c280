namespace Weir.Worker;

/// <summary>Options for a <see cref="Worker"/>.</summary>
public sealed class WorkerOptions
{
    /// <summary>The work pool to take runs from.</summary>
    public required string Pool { get; init; }

    /// <summary>This worker's name. <value>Defaults to the host name and process id.</value></summary>
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many runs at once. <value>Defaults to 4.</value></summary>
    public int Limit { get; init; } = 4;

    /// <summary>How long one claim call waits for a run. <value>Defaults to 20 s.</value></summary>
    public TimeSpan ClaimWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time between heart-beats (also how fast cancellation requests are seen). <value>Defaults to 1 s.</value></summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where run folders and caches live. <value>Defaults to <c>WEIR_HOME</c>.</value></summary>
    public string WeirHome { get; init; } = Compiler.FlowCompilerOptions.DefaultWeirHome();

    /// <summary>
    /// How many child processes to keep started ahead of runs (<c>weir flow-run standby</c>), so that a
    /// claimed run does not wait for a .NET process to start. 0 starts each run's process on claim.
    /// <value>Defaults to 1.</value>
    /// </summary>
    public int Standby { get; init; } = 1;

    /// <summary>How to start the child process. <value>Defaults to this process's <c>weir</c> command.</value></summary>
    public FlowProcessCommand? Command { get; init; }
}
