using Weir.Client;

namespace Weir.Server.Ui;

/// <summary>A flow run's page: the run, its states, its task runs with their states, and its first log lines.</summary>
public sealed record RunModel(
    PageChrome Chrome,
    FlowRunDto Run,
    IReadOnlyList<RunStateEvent> History,
    IReadOnlyList<TaskRunDto> TaskRuns,
    IReadOnlyList<RunStateEvent> TaskStates,
    IReadOnlyList<LogDto> Logs);
