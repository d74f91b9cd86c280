namespace Weir.Worker.Launchers;

/// <summary>How a launched flow ended.</summary>
/// <param name="What">What ran it, for messages: <c>flow process (PID 123)</c>, <c>flow container weir-… (image …)</c>.</param>
/// <param name="ExitCode">Its exit code (128 + the signal number when a signal ended it).</param>
/// <param name="Killed">True when the worker stopped it (cancellation, or the worker stopping).</param>
public sealed record FlowExit(string What, int ExitCode, bool Killed)
{
    /// <summary>Exit code of <c>weir flow-run execute</c> when the run could not start; the worker marks it Failed.</summary>
    public const int CouldNotStart = 2;

    /// <summary>
    /// True when the worker stopped following the flow while it goes on without it (a Kubernetes Job outlives a stopping worker):
    /// the worker reports no state; the runner reports its own, and the next start of the worker, or another worker of the pool, takes it up.
    /// </summary>
    public bool Detached { get; init; }

    /// <summary>
    /// Why it ended, when the launcher knows more than an exit code: a sentence that follows the launcher's <see cref="What"/>
    /// (<c>was killed for using more memory than its limit (OOMKilled) ...</c>); the worker puts it in the Crashed state's message.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>0 is Completed and 1 Failed (the runner reports those states itself); anything else means it died.</summary>
    public bool Crashed => !Killed && !Detached && ExitCode is not (0 or 1);
}
