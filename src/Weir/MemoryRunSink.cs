using System.Collections.Concurrent;

namespace Weir;

/// <summary>A sink that keeps everything in memory, for tests of flows and of the engine.</summary>
internal sealed class MemoryRunSink : IRunSink
{
    private readonly ConcurrentQueue<(Guid RunId, string Name, State State)> _states = new();
    private readonly ConcurrentQueue<TaskRunInfo> _taskRuns = new();
    private readonly ConcurrentQueue<LogRecord> _logs = new();

    /// <summary>Every state change, flow and task runs alike, in the order received. Name is the flow name or task key.</summary>
    public IReadOnlyList<(Guid RunId, string Name, State State)> States => [.. _states];

    /// <summary>Every task run created, in order.</summary>
    public IReadOnlyList<TaskRunInfo> TaskRuns => [.. _taskRuns];

    /// <summary>Every log line, in order.</summary>
    public IReadOnlyList<LogRecord> Logs => [.. _logs];

    /// <summary>The states one task run went through.</summary>
    public IReadOnlyList<StateType> StatesOf(string taskKey) =>
        [.. _states.Where(s => s.Name == taskKey).Select(s => s.State.Type)];

    /// <inheritdoc />
    public void OnFlowRunState(FlowRunInfo flowRun, State state) => _states.Enqueue((flowRun.Id, flowRun.FlowName, state));

    /// <inheritdoc />
    public void OnTaskRunCreated(TaskRunInfo taskRun) => _taskRuns.Enqueue(taskRun);

    /// <inheritdoc />
    public void OnTaskRunState(TaskRunInfo taskRun, State state) => _states.Enqueue((taskRun.Id, taskRun.TaskKey, state));

    /// <inheritdoc />
    public void OnLog(LogRecord record) => _logs.Enqueue(record);
}
