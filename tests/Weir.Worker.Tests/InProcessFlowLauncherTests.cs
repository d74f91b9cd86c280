using System.Diagnostics;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Steps;
using Weir.Worker.Launchers;

namespace Weir.Worker.Tests;

/// <summary>
/// The in-process pool: runs execute inside the worker's process through the flow host, each in a fresh load
/// context, with their console output and working folder their own; cancellation is cooperative, code that
/// ignores it is abandoned and counted, and too much of it makes the worker drain and ask for a restart.
/// </summary>
public sealed class InProcessFlowLauncherTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-inproc-home-").FullName;
    private readonly string _project = Directory.CreateTempSubdirectory("weir-inproc-project-").FullName;
    private readonly InMemoryWorkerServer _server;
    private readonly MemoryRunSink _sink = new();

    private const string Flow = """
        using Weir;
        public static class InProc
        {
            private static int s_runs;

            [Task]
            public static string Where(string file)
            {
                Console.WriteLine("printed by run " + (++s_runs));
                return File.ReadAllText(Path.Combine(RunContext.Current!.WorkingDirectory, file));
            }

            [Task]
            public static void Stubborn()
            {
                Console.WriteLine("ignoring cancellation");
                while (!File.Exists(Path.Combine(RunContext.Current!.WorkingDirectory, "release")))
                {
                    Thread.Sleep(20);
                }
            }

            [Task]
            public static async Task Polite() => await Task.Delay(TimeSpan.FromMinutes(5), RunContext.Current!.CancellationToken);

            [Flow("where")]
            public static string WhereFlow(string file = "data.txt") => Where(file);

            [Flow("stubborn")]
            public static void StubbornFlow() => Stubborn();

            [Flow("polite")]
            public static async Task PoliteFlow() => await Polite();
        }
        """;

    public InProcessFlowLauncherTests()
    {
        _server = new InMemoryWorkerServer(_home);
        File.WriteAllText(Path.Combine(_project, "inproc.cs"), Flow);
        File.WriteAllText(Path.Combine(_project, "data.txt"), "from the run's folder");
    }

    public void Dispose()
    {
        File.WriteAllText(Path.Combine(_project, "release"), string.Empty);
        var trees = Path.Combine(_home, "cache", "git", "trees");
        if (Directory.Exists(trees) && !OperatingSystem.IsWindows())
        {
            // Shared checkouts are read-only: a worker that is not root needs their folders writable again to delete them.
            foreach (var folder in Directory.EnumerateDirectories(trees, "*", SearchOption.AllDirectories).Where(f => !new DirectoryInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)))
            {
                File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.UserWrite);
            }
        }

        Directory.Delete(_home, recursive: true);
        Directory.Delete(_project, recursive: true);
    }

    private WorkerOptions Options(int maxAbandoned = 3) => new()
    {
        Pool = "inproc",
        WeirHome = _home,
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        ClaimWait = TimeSpan.FromMilliseconds(200),
        CancellationGrace = TimeSpan.FromMilliseconds(300),
        MaxAbandonedRuns = maxAbandoned,
    };

    private async Task<ClaimedRun> RunOfAsync(string flow)
    {
        var recorded = (await new FlowCompiler(new FlowCompilerOptions { WeirHome = _home }).CompileAsync(Path.Combine(_project, "inproc.cs"), CancellationToken.None)).Flows.Single(f => f.Name == flow);
        var pull = StepDefinition.ToJson(StepDefinition.ReadList(Storage.Config.YamlConfigReader.Read($"- set_working_directory:\n    directory: '{_project}'", "test"), "pull"));
        return new ClaimedRun
        {
            FlowRunId = Guid.NewGuid(), FlowName = "t", DeploymentName = flow + "/test", Entrypoint = "inproc.cs:" + flow, PullSteps = pull, Structure = recorded,
            Parameters = [],
        };
    }

    private static FlowOutput Output(List<string> lines) => new((line, _) =>
    {
        lock (lines)
        {
            lines.Add(line);
        }
    }, line =>
    {
        lock (lines)
        {
            lines.Add(line);
        }
    });

    private StateType? FinalState(Guid run) => _sink.States.LastOrDefault(s => s.RunId == run).State?.Type;

    [Fact]
    public async Task Runs_InTheWorkersProcess_WithFreshStatics_TheirOwnOutputAndTheRunsFolder()
    {
        await using var launcher = new InProcessFlowLauncher(_server, Options(), _sink);
        var first = await RunOfAsync("where");
        var second = await RunOfAsync("where");

        var exits = new[] { await launcher.LaunchAsync(first, Output([]), CancellationToken.None), await launcher.LaunchAsync(second, Output([]), CancellationToken.None) };

        exits.ShouldAllBe(e => e.ExitCode == 0 && !e.Crashed);
        FinalState(first.FlowRunId).ShouldBe(StateType.Completed);
        FinalState(second.FlowRunId).ShouldBe(StateType.Completed);
        _sink.Logs.Where(l => l.FlowRunId == second.FlowRunId).Select(l => l.Message).ShouldContain("printed by run 1", "each run loads the flow afresh, its console lines are its own");
        _sink.Logs.ShouldNotContain(l => l.Message == "printed by run 2");
        Environment.CurrentDirectory.ShouldNotBe(_project, "no run changes the process's current folder");
        _server.Provenance.Count.ShouldBe(2);
    }

    [Fact]
    public async Task CancelledRun_WhoseCodeStops_EndsCancelled_AndIsNotAbandoned()
    {
        await using var launcher = new InProcessFlowLauncher(_server, Options(), _sink);
        var run = await RunOfAsync("polite");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var exit = await launcher.LaunchAsync(run, Output([]), cancel.Token).WaitAsync(TimeSpan.FromSeconds(30));

        exit.Crashed.ShouldBeFalse();
        FinalState(run.FlowRunId).ShouldBe(StateType.Cancelled);
        launcher.AbandonedRuns.ShouldBe(0);
    }

    [Fact]
    public async Task CancelledRun_WhoseCodeIgnoresIt_IsCancelledAfterTheGrace_AbandonedAndCounted_AndTheWorkerAsksForARestart()
    {
        var options = Options(maxAbandoned: 1);
        await using var launcher = new InProcessFlowLauncher(_server, options, _sink);
        var run = await RunOfAsync("stubborn");
        _server.Enqueue(run);
        var worker = new Worker(_server, options, launcher);

        var running = worker.RunAsync(CancellationToken.None);
        // Cancelled once its code runs (cancelled before it starts, a run ends without any code to abandon).
        var started = Stopwatch.StartNew();
        while (!_sink.Logs.Any(l => l.FlowRunId == run.FlowRunId && l.Message == "ignoring cancellation"))
        {
            started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the run's code did not start");
            await Task.Delay(20);
        }

        _server.CancelRequests[run.FlowRunId] = true;
        var stopped = await running.WaitAsync(TimeSpan.FromSeconds(60));

        stopped.ShouldBe(WorkerStop.Restart);
        launcher.AbandonedRuns.ShouldBe(1);
        var state = _sink.States.Last(s => s.RunId == run.FlowRunId).State;
        state.Type.ShouldBe(StateType.Cancelled);
        state.Message.ShouldNotBeNull().ShouldContain("did not stop within 0.3 s");
        File.WriteAllText(Path.Combine(_project, "release"), string.Empty);
        await Poll.WaitAsync(() => launcher.AbandonedRuns == 0, TimeSpan.FromSeconds(10));

        launcher.AbandonedRuns.ShouldBe(0, "abandoned code that ends is no longer counted");
    }

    [Fact]
    public async Task RunsOfAGitDeployment_ReadTheirFilesFromTheCommitsCheckout_SharedReadOnlyByThem()
    {
        // A repository in a local folder holds a flow that prints where it runs and reads a file of its own.
        var repository = Directory.CreateDirectory(Path.Combine(_project, "repo")).FullName;
        await File.WriteAllTextAsync(Path.Combine(repository, "folder.cs"), """
            using Weir;
            public static class Folder
            {
                [Flow("folder")]
                public static void Run() => Console.WriteLine("in " + RunContext.Current!.WorkingDirectory + ": " + File.ReadAllText(Path.Combine(RunContext.Current!.WorkingDirectory, "data.txt")));
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(repository, "data.txt"), "committed");
        foreach (var git in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["-c", "user.email=t@weir.test", "-c", "user.name=tests", "commit", "-q", "-m", "flow"] })
        {
            using var process = Process.Start(new ProcessStartInfo("git", git) { WorkingDirectory = repository, UseShellExecute = false })!;
            await process.WaitForExitAsync();
            process.ExitCode.ShouldBe(0);
        }

        var pull = StepDefinition.ToJson(StepDefinition.ReadList(Storage.Config.YamlConfigReader.Read($"- git_clone:\n    repository: '{repository}'\n    branch: main", "test"), "pull"));
        ClaimedRun Run() => new()
        {
            FlowRunId = Guid.NewGuid(), FlowName = "folder", DeploymentName = "folder/test", Entrypoint = "folder.cs:folder", PullSteps = pull,
            Parameters = [],
        };
        await using var launcher = new InProcessFlowLauncher(_server, Options(), _sink);
        var runs = new[] { Run(), Run(), Run() };

        var exits = await Task.WhenAll(runs.Select(r => launcher.LaunchAsync(r, Output([]), CancellationToken.None)));

        exits.ShouldAllBe(e => e.ExitCode == 0 && !e.Crashed);
        var printed = runs.Select(r => _sink.Logs.Single(l => l.FlowRunId == r.FlowRunId && l.Message.StartsWith("in ", StringComparison.Ordinal)).Message).ToArray();
        printed.Distinct().ShouldHaveSingleItem().ShouldEndWith(": committed");
        var trees = Path.Combine(_home, "cache", "git", "trees");
        printed[0].ShouldStartWith("in " + trees + Path.DirectorySeparatorChar, Case.Sensitive, "the in-process pool lends the commit's shared checkout");
        Directory.Exists(Path.Combine(_home, "cache", "git", "checkouts")).ShouldBeFalse("no pooled checkout was made");
    }

    [Fact]
    public async Task AThousandRuns_DoNotGrowMemoryWithoutBound_TheirLoadContextsUnload()
    {
        await using var launcher = new InProcessFlowLauncher(_server, Options(), NullRunSink.Instance);
        var run = await RunOfAsync("where");

        async Task RunManyAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var exit = await launcher.LaunchAsync(run with { FlowRunId = Guid.NewGuid() }, Output([]), CancellationToken.None);
                exit.ExitCode.ShouldBe(0);
            }
        }

        static long Settled()
        {
            for (var i = 0; i < 5; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            return GC.GetTotalMemory(forceFullCollection: true);
        }

        await RunManyAsync(100);
        var after100 = Settled();
        await RunManyAsync(900);
        var after1000 = Settled();

        var flowContexts = AssemblyLoadContext.All.Count(c => c.Name?.StartsWith("weir-flow:", StringComparison.Ordinal) == true);
        flowContexts.ShouldBeLessThan(50, "collectible load contexts of finished runs are unloaded");
        (after1000 - after100).ShouldBeLessThan(16L * 1024 * 1024, $"900 more runs grew the heap from {after100:N0} to {after1000:N0} bytes");
    }
}
