namespace Weir.Engine;

/// <summary>How a flow run ended.</summary>
internal sealed class FlowRunResult
{
    internal FlowRunResult(FlowRunInfo run, object? value, Exception? exception, TaskRunInfo? failedTask, IReadOnlyList<TaskRunInfo> taskRuns)
    {
        Run = run;
        Value = value;
        Exception = exception;
        FailedTask = failedTask;
        TaskRuns = taskRuns;
    }

    /// <summary>The flow run, in its final state.</summary>
    public FlowRunInfo Run { get; }

    /// <summary>The final state.</summary>
    public State State => Run.State;

    /// <summary>What the flow returned, when Completed.</summary>
    public object? Value { get; }

    /// <summary>The exception that ended the run, when it did not complete.</summary>
    public Exception? Exception { get; }

    /// <summary>The task run whose failure failed the flow, when one did.</summary>
    public TaskRunInfo? FailedTask { get; }

    /// <summary>Every task run, in the order they were created.</summary>
    public IReadOnlyList<TaskRunInfo> TaskRuns { get; }

    /// <summary>The flow's code when the run was cancelled and the code did not stop within the grace period: it is still running, abandoned.</summary>
    public Task? Abandoned { get; init; }
}
