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

    /// <summary>
    /// How many claimed runs the worker may hold ready beyond <see cref="Limit"/>, so that one claim serves several
    /// runs. They are the worker's from the claim on (heart-beats list them; a stopping worker gives them back).
    /// <value>Defaults to <see cref="Limit"/> for the in-process pool (its runs cost less than a claim each) and 0 for the others.</value>
    /// </summary>
    public int? Prefetch { get; init; }

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

    /// <summary>
    /// How many runs one child process may run, one after another. 1 (the default) gives every run a
    /// process of its own; more saves the start of a .NET process per run (most of a trivial run's cost),
    /// and each run still gets a fresh assembly load context (the flow's statics start anew), its own
    /// folder as the current directory, and its process group cleared of what it left running. What a
    /// flow changes in the process itself (environment variables, static state of shared libraries) is
    /// seen by the next run of that process.
    /// <value>Defaults to 1.</value>
    /// </summary>
    public int RunsPerProcess { get; init; } = 1;

    /// <summary>
    /// In-process pools: how long a cancelled run's code may go on before it is left running (abandoned) and its run
    /// ends Cancelled anyway. <value>Defaults to 10 s.</value>
    /// </summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// In-process pools: after this many abandoned runs whose code is still running, the worker stops claiming,
    /// lets its other runs end, and restarts itself (a fresh process). <value>Defaults to 3.</value>
    /// </summary>
    public int MaxAbandonedRuns { get; init; } = 3;

    /// <summary>
    /// How long a worker told to stop (<c>SIGTERM</c>, Ctrl-C) waits for its runs going to end, claiming no more; then it stops
    /// them, and they are marked Crashed with a message naming the worker (re-scheduled when their retries allow).
    /// <value>Defaults to zero: the runs are stopped at once (<c>weir worker start</c> waits 30 s, <c>--drain-seconds</c>).</value>
    /// </summary>
    public TimeSpan DrainTimeout { get; init; }

    /// <summary>The clock of heart-beats, back-offs and the times reported with a run's start. <value>Defaults to <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the worker's log goes (category <c>Weir.Worker</c>, a scope per flow run). <value>Defaults to none.</value></summary>
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>How to start the child process. <value>Defaults to this process's <c>weir</c> command.</value></summary>
    public FlowProcessCommand? Command { get; init; }
}
