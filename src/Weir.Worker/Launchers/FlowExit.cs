namespace Weir.Worker.Launchers;

/// <summary>How a launched flow ended.</summary>
/// <param name="What">What ran it, for messages: <c>flow process (PID 123)</c>, <c>flow container weir-… (image …)</c>.</param>
/// <param name="ExitCode">Its exit code (128 + the signal number when a signal ended it).</param>
/// <param name="Killed">True when the worker stopped it (cancellation, or the worker stopping).</param>
public sealed record FlowExit(string What, int ExitCode, bool Killed)
{
    /// <summary>Exit code of <c>weir flow-run execute</c> when the run could not start; the worker marks it Failed.</summary>
    public const int CouldNotStart = 2;

    /// <summary>0 is Completed and 1 Failed (the runner reports those states itself); anything else means it died.</summary>
    public bool Crashed => !Killed && ExitCode is not (0 or 1);
}
