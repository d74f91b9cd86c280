namespace Weir.IntegrationTests;

/// <summary>
/// A real Weir server (SQLite, on 127.0.0.1 with a free port, schedules checked every second) and a real worker
/// process (<c>weir worker start</c>) for the whole collection; the worker is stopped by PID at the end.
/// </summary>
public sealed class ServerAndWorkerFixture : WeirServerFixture
{
    public const string Pool = "itest";

    private RunningProcess? _worker;

    public string WorkerLog => _worker?.Output ?? string.Empty;

    protected override TestServerOptions Options => new() { ScheduleInterval = TimeSpan.FromSeconds(1) };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _worker = Cli.StartWorker(Environment.CurrentDirectory, Pool, "itest-worker", "--limit", "4");
    }

    public override async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
