using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Weir.Engine;

/// <summary>
/// The engine's state for one flow run: its sink, clock, task counters and task runs, where its secret reads go and the
/// secrets it read, which every log line, state message and task run it reports is redacted of.
/// </summary>
internal sealed class FlowRunScope(FlowRunInfo flowRun, IRunSink sink, TimeProvider timeProvider, LogLevel minimumLogLevel, CancellationToken cancellationToken, string? workingDirectory = null)
{
    /// <summary>The folder the run's code was fetched to; null for the process's current folder.</summary>
    public string? WorkingDirectory { get; } = workingDirectory;

    private readonly ConcurrentDictionary<string, int> _callCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TaskRunInfo> _taskRuns = new();
    private readonly ConditionalWeakTable<Exception, TaskRunInfo> _failures = [];

    public FlowRunInfo FlowRun { get; } = flowRun;

    /// <summary>Where <see cref="Secret"/>, <see cref="Block"/> and <see cref="Variable"/> read from; null when the host gave none.</summary>
    public IRunValueSource? Values { get; init; }

    /// <summary>The secret values this run has read.</summary>
    public SecretRedactor Redactor { get; } = new();

    public TimeProvider TimeProvider { get; } = timeProvider;

    public LogLevel MinimumLogLevel { get; } = minimumLogLevel;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public IReadOnlyList<TaskRunInfo> TaskRuns => [.. _taskRuns];

    public TaskRunInfo CreateTaskRun(TaskDescriptor task, object?[] arguments, Guid? parentTaskRunId)
    {
        var index = _callCounts.AddOrUpdate(task.Name, 0, static (_, n) => n + 1);
        var parameters = new KeyValuePair<string, object?>[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var name = i < task.ParameterNames.Count ? task.ParameterNames[i] : "arg" + i;
            parameters[i] = new(name, arguments[i]);
        }

        var now = TimeProvider.GetUtcNow();
        var run = new TaskRunInfo(Guid.CreateVersion7(now), FlowRun.Id, parentTaskRunId, task.Name, task.Name + "-" + index, parameters, new State(StateType.Pending, now))
        {
            Redactor = Redactor,
        };
        _taskRuns.Enqueue(run);
        sink.OnTaskRunCreated(run);
        sink.OnTaskRunState(run, run.State);
        return run;
    }

    public void SetState(TaskRunInfo run, StateType type, string? message = null)
    {
        var state = new State(type, TimeProvider.GetUtcNow(), Redactor.RedactOrNull(message));
        run.State = state;
        sink.OnTaskRunState(run, state);
    }

    public void SetState(StateType type, string? message = null)
    {
        var state = new State(type, TimeProvider.GetUtcNow(), Redactor.RedactOrNull(message));
        FlowRun.State = state;
        sink.OnFlowRunState(FlowRun, state);
    }

    public void Log(Guid? taskRunId, LogLevel level, string source, string message) =>
        sink.OnLog(new LogRecord(FlowRun.Id, taskRunId, TimeProvider.GetUtcNow(), level, source, Redactor.Redact(message)));

    public void RecordFailure(Exception exception, TaskRunInfo run) => _failures.AddOrUpdate(exception, run);

    /// <summary>The task run whose failure is this exception (or one it wraps), if any.</summary>
    public TaskRunInfo? FindFailedTask(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (_failures.TryGetValue(e, out var run))
            {
                return run;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (_failures.TryGetValue(inner, out run))
                    {
                        return run;
                    }
                }
            }
        }

        return null;
    }

    public bool IsCancellation(Exception exception) =>
        exception is OperationCanceledException && CancellationToken.IsCancellationRequested;
}
