namespace Weir.Worker.Hosting;

/// <summary>How a flow run the <see cref="FlowHost"/> was given ended: in a final state, or not started, with the reason.</summary>
/// <param name="State">The final state; null when the run could not start.</param>
/// <param name="Problem">Why it could not start (no such flow, parameters that do not bind).</param>
internal sealed record FlowHostResult(StateType? State, string? Problem)
{
    /// <summary>The final state as the engine reported it (its message and time), when the run ended.</summary>
    public State? Final { get; init; }

    /// <summary>The flow's code, still running: the run was cancelled and the code did not stop within the grace period.</summary>
    public Task? Abandoned { get; init; }

    /// <summary>True when the run could not start.</summary>
    public bool CouldNotStart => State is null;

    public static FlowHostResult Ended(StateType state) => new(state, null);

    public static FlowHostResult NotStarted(string problem) => new(null, problem);

    /// <summary>The flow process's exit code for it: 0 Completed, 1 Failed or Cancelled, 2 could not start.</summary>
    public int ExitCode => State switch
    {
        StateType.Completed => 0,
        null => Launchers.FlowExit.CouldNotStart,
        _ => 1,
    };
}
