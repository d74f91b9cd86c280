namespace Weir.Server.Ui;

/// <summary>What the dashboard shows.</summary>
public sealed record DashboardModel(
    PageChrome Chrome,
    IReadOnlyList<RunActivity> Activity,
    IReadOnlyList<FlowRunDto> Late,
    IReadOnlyList<FlowRunDto> Crashed,
    IReadOnlyList<(string Pool, WorkerDto Worker)> WorkersOnline,
    IReadOnlyList<FlowRunDto> Latest);
