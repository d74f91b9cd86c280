using Microsoft.Extensions.Logging.Abstractions;

namespace Weir.Worker.Tests;

/// <summary>
/// Run folders a killed worker left behind: removed at the next start once their run has ended,
/// kept while the run goes on (a flow process outliving its worker, or another worker's run).
/// </summary>
public sealed class RunFolderSweeperTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-sweep-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string RunFolder(Guid run)
    {
        var folder = Path.Combine(new WorkerPaths(_home).Runs, run.ToString("N") + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "repo", ".git", "objects"));
        var readOnly = Path.Combine(folder, "repo", ".git", "objects", "pack");
        File.WriteAllText(readOnly, "git writes its objects read-only");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead);
        }

        return folder;
    }

    [Fact]
    public async Task Sweep_EndedRunsFolders_RemovedAndLiveOrForeignFoldersKept()
    {
        var server = new InMemoryWorkerServer(_home);
        var (completed, crashed, running, unknown) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await server.SetStateAsync(completed, StateType.Running, null, CancellationToken.None);
        await server.SetStateAsync(completed, StateType.Completed, null, CancellationToken.None);
        await server.SetStateAsync(crashed, StateType.Crashed, "worker gone", CancellationToken.None);
        await server.SetStateAsync(running, StateType.Running, null, CancellationToken.None);
        var (completedFolder, crashedFolder, runningFolder, unknownFolder) = (RunFolder(completed), RunFolder(crashed), RunFolder(running), RunFolder(unknown));
        var notARun = Directory.CreateDirectory(Path.Combine(new WorkerPaths(_home).Runs, "notes")).FullName;

        var removed = await RunFolderSweeper.SweepAsync(server, new WorkerPaths(_home).Runs, NullLogger.Instance, CancellationToken.None);

        removed.ShouldBe(2);
        Directory.Exists(completedFolder).ShouldBeFalse();
        Directory.Exists(crashedFolder).ShouldBeFalse();
        Directory.Exists(runningFolder).ShouldBeTrue("a run still going keeps its folder");
        Directory.Exists(unknownFolder).ShouldBeTrue("the in-memory server cannot say this run ended");
        Directory.Exists(notARun).ShouldBeTrue("only folders named like run folders are touched");
    }

    [Fact]
    public async Task Worker_Start_SweepsFoldersOfEndedRuns()
    {
        var server = new InMemoryWorkerServer(_home);
        var ended = Guid.NewGuid();
        await server.SetStateAsync(ended, StateType.Completed, null, CancellationToken.None);
        var folder = RunFolder(ended);
        var options = new WorkerOptions { Pool = "test", WeirHome = _home, ClaimWait = TimeSpan.FromMilliseconds(200), Standby = 0 };
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => new Worker(server, options).RunAsync(stop.Token));

        await Poll.WaitAsync(() => !Directory.Exists(folder), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        await stop.CancelAsync();
        await worker.WaitAsync(TimeSpan.FromSeconds(30));
        Directory.Exists(folder).ShouldBeFalse("the worker removes an ended run's folder at start");
    }
}
