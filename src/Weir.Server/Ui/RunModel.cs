namespace Weir.Server.Ui;

/// <summary>
/// A flow run's page: the run, its deployment (for the parameters it did not set), its states, its task runs
/// with their states, and its first log lines (a page of them; the run page's script fetches the rest).
/// </summary>
public sealed record RunModel(
    PageChrome Chrome,
    FlowRunDto Run,
    DeploymentDto? Deployment,
    IReadOnlyList<RunStateEvent> History,
    IReadOnlyList<TaskRunDto> TaskRuns,
    IReadOnlyList<RunStateEvent> TaskStates,
    IReadOnlyList<LogDto> Logs,
    int LogPage)
{
    /// <summary>True when there may be more log lines than the page carries (the script fetches the rest).</summary>
    public bool MoreLogs => Logs.Count >= LogPage;
}
