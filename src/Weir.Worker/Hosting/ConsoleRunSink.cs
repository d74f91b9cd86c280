using System.Collections.Concurrent;

namespace Weir.Worker.Hosting;

/// <summary>
/// What a flow process with no server to report to prints: each state change and log line as plain text
/// on <paramref name="output"/> (the process's real output, never a run's captured console).
/// </summary>
internal sealed class ConsoleRunSink(TextWriter output) : IRunSink, IEventBatchSink
{
    private readonly ConcurrentDictionary<Guid, string> _taskKeys = new();
    private readonly Lock _gate = new();

    public void OnFlowRunState(FlowRunInfo flowRun, State state) => Print($"Flow run '{flowRun.FlowName}' - {state}");

    public void OnTaskRunCreated(TaskRunInfo taskRun) => _taskKeys[taskRun.Id] = taskRun.TaskKey;

    public void OnTaskRunState(TaskRunInfo taskRun, State state) => Print($"Task run '{taskRun.TaskKey}' - {state}");

    public void OnLog(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var who = record.TaskRunId is { } id && _taskKeys.TryGetValue(id, out var key) ? $"Task run '{key}'" : "Flow run";
        Print($"{record.Level} {who} - {record.Message}");
    }

    public void Enqueue(Client.EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var log in batch.Logs)
        {
            Print($"{log.Level} Flow run - {log.Message}");
        }
    }

    private void Print(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
