namespace Weir.Worker;

/// <summary>How a child flow process ended.</summary>
/// <param name="ProcessId">Its PID.</param>
/// <param name="ExitCode">Its exit code (128 + the signal number when a signal ended it).</param>
/// <param name="Killed">True when the worker killed it (cancellation).</param>
public sealed record FlowProcessResult(int ProcessId, int ExitCode, bool Killed)
{
    /// <summary>0 is Completed and 1 Failed (the child reports those states itself); anything else means it died.</summary>
    public bool Crashed => !Killed && ExitCode is not (0 or 1);

    /// <summary>True when the child ended the run without exiting and can take another one.</summary>
    public bool Reusable { get; init; }
}

