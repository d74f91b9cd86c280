namespace Weir.Engine;

/// <summary>How a flow run ended.</summary>
/// <param name="Run">The flow run, in its final state.</param>
/// <param name="Value">What the flow returned, when Completed.</param>
/// <param name="Exception">The exception that ended the run, when it did not complete.</param>
/// <param name="FailedTask">The task run whose failure failed the flow, when one did.</param>
/// <param name="TaskRuns">Every task run, in the order they were created.</param>
internal sealed record FlowRunResult(FlowRunInfo Run, object? Value, Exception? Exception, TaskRunInfo? FailedTask, IReadOnlyList<TaskRunInfo> TaskRuns)
{
    /// <summary>The final state.</summary>
    public State State => Run.State;

    /// <summary>The flow's code when the run was cancelled and the code did not stop within the grace period: it is still running, abandoned.</summary>
    public Task? Abandoned { get; init; }
}
