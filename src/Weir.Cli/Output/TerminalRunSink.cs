using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Weir.Client;
using Weir.Engine;

namespace Weir.Cli.Output;

/// <summary>
/// Prints flow-run and task-run states and logs to the terminal, one line each, the way people
/// follow a run: <c>12:00:01.234 | INFO    | Task run 'GetData-0' - Finished in state Completed()</c>.
/// </summary>
internal sealed class TerminalRunSink(IAnsiConsole console, bool verbose) : IRunSink
{
    private readonly ConcurrentDictionary<Guid, string> _taskKeys = new();
    private readonly Lock _gate = new();

    public void OnFlowRunState(FlowRunInfo flowRun, State state)
    {
        var text = state.Type switch
        {
            StateType.Pending => verbose ? $"Created flow run {flowRun.Id}" : null,
            StateType.Running when flowRun.RunCount == 1 => "Beginning flow run",
            StateType.Running => $"Beginning attempt {flowRun.RunCount}",
            _ when state.IsTerminal => $"Finished in state {state}",
            _ => state.ToString(),
        };
        if (text is not null)
        {
            Print(state.Timestamp, LevelOf(state), $"Flow run '{flowRun.FlowName}'", text, ColorOf(state.Type));
        }
    }

    public void OnTaskRunCreated(TaskRunInfo taskRun) => _taskKeys[taskRun.Id] = taskRun.TaskKey;

    public void OnTaskRunState(TaskRunInfo taskRun, State state)
    {
        var text = state.Type switch
        {
            StateType.Pending => verbose ? "Created" : null,
            StateType.Running when taskRun.RunCount == 1 => "Running",
            StateType.Running => $"Running attempt {taskRun.RunCount}",
            _ when state.IsTerminal => $"Finished in state {state}",
            _ => state.ToString(),
        };
        if (text is not null)
        {
            Print(state.Timestamp, LevelOf(state), $"Task run '{taskRun.TaskKey}'", text, ColorOf(state.Type));
        }
    }

    public void OnLog(LogRecord record)
    {
        var who = record.TaskRunId is { } id && _taskKeys.TryGetValue(id, out var key) ? $"Task run '{key}'" : "Flow run";
        Print(record.Timestamp, record.Level, who, record.Message, null);
    }

    private static LogLevel LevelOf(State state) => state.Type switch
    {
        StateType.Failed or StateType.Crashed => LogLevel.Error,
        StateType.Retrying or StateType.Cancelled or StateType.Cancelling => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    private static string? ColorOf(StateType type) => type switch
    {
        StateType.Completed => "green",
        StateType.Failed or StateType.Crashed => "red",
        StateType.Retrying or StateType.Cancelled or StateType.Cancelling => "yellow",
        _ => null,
    };

    private void Print(DateTimeOffset timestamp, LogLevel level, string who, string message, string? color)
    {
        var line = LogLines.Markup(timestamp, LogDto.LevelOf(level), who, message, color);
        lock (_gate)
        {
            console.MarkupLine(line);
        }
    }
}
