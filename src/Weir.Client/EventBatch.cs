namespace Weir.Client;

/// <summary>Everything an engine recorded since the last batch: task runs, states and logs, sent in one call.</summary>
public sealed record EventBatch
{
    /// <summary>Flow-run state changes.</summary>
    public List<RunStateEvent> FlowRunStates { get; init; } = [];

    /// <summary>Task runs created.</summary>
    public List<TaskRunDto> TaskRuns { get; init; } = [];

    /// <summary>Task-run state changes.</summary>
    public List<RunStateEvent> TaskRunStates { get; init; } = [];

    /// <summary>Log lines.</summary>
    public List<LogDto> Logs { get; init; } = [];

    /// <summary>What code runs executed (recorded when a run starts, with its preparation's log lines).</summary>
    public List<RunProvenance> Provenance { get; init; } = [];

    /// <summary>True when there is nothing in it.</summary>
    public bool IsEmpty => FlowRunStates.Count == 0 && TaskRuns.Count == 0 && TaskRunStates.Count == 0 && Logs.Count == 0 && Provenance.Count == 0;
}
