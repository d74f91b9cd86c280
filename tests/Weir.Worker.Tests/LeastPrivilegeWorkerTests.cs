using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Steps;

namespace Weir.Worker.Tests;

/// <summary>
/// Issue 16, points 4 and 8 on the worker's side: what a flow process's environment holds (an allow-list, the run's token
/// never in it, the deployment's env for its run only), and a stopping worker's drain.
/// </summary>
public sealed class LeastPrivilegeWorkerTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-worker-home-").FullName;
    private readonly string _project = Directory.CreateTempSubdirectory("weir-worker-project-").FullName;
    private InMemoryWorkerServer _server = null!;

    private const string Flow = """
        using Weir;
        public static class Jobs
        {
            [Task]
            public static void Dump(string path) =>
                File.WriteAllLines(path, System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Order().Select(k => k + "=" + System.Environment.GetEnvironmentVariable(k)));

            [Task]
            public static void Nap(string path, int milliseconds)
            {
                File.WriteAllText(path + ".started", "x");
                Thread.Sleep(milliseconds);
                File.WriteAllText(path, "done");
            }

            [Flow("dump")]
            public static void DumpFlow(string path) => Dump(path);

            [Flow("nap")]
            public static void NapFlow(string path, int milliseconds) => Nap(path, milliseconds);
        }
        """;

    public Task InitializeAsync()
    {
        _server = new InMemoryWorkerServer(_home);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        foreach (var dir in new[] { _home, _project })
        {
            Directory.Delete(dir, recursive: true);
        }

        return Task.CompletedTask;
    }

    private WorkerOptions Options(TimeSpan drain = default, int limit = 4, int? prefetch = null) => new()
    {
        Prefetch = prefetch,
        Pool = "test",
        Name = "drain-test-worker",
        WeirHome = _home,
        Limit = limit,
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        ClaimWait = TimeSpan.FromMilliseconds(500),
        DrainTimeout = drain,
        Command = FlowProcessCommand.FromRunnerAssembly(Path.Combine(AppContext.BaseDirectory, "Weir.Runner.dll")),
    };

    private async Task<ClaimedRun> EnqueueAsync(string flow, JsonObject parameters, JsonObject? jobVariables = null)
    {
        var file = Path.Combine(_project, "flows", "jobs.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file, Flow);
        }

        var recorded = (await new FlowCompiler(new FlowCompilerOptions { WeirHome = _home }).CompileAsync(file, CancellationToken.None)).Flows.Single(f => f.Name == flow);
        var pull = StepDefinition.ToJson(StepDefinition.ReadList(Storage.Config.YamlConfigReader.Read($"- set_working_directory:\n    directory: '{_project}'", "test"), "pull"));
        var run = new ClaimedRun
        {
            FlowRunId = Guid.NewGuid(), FlowName = flow, DeploymentName = flow + "/test", Entrypoint = "flows/jobs.cs:" + flow, PullSteps = pull, Structure = recorded,
            Parameters = parameters, JobVariables = jobVariables, Attempt = 1, RunToken = "wrt1_the-run-token-of-this-test",
        };
        _server.Enqueue(run);
        return run;
    }

    private static async Task UntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task FlowProcess_Environment_IsTheAllowListWithTheDeploymentsEnv_AndNoKeyNorToken()
    {
        var names = new[] { "WEIR_API_KEY", "WEIR_WORKER_API_KEYS", "WEIR_SECRET_KEY", "WEIR_DATABASE_URL", "WEIR_TEST_UNLISTED", "LC_WEIR_TEST" };
        foreach (var name in names)
        {
            Environment.SetEnvironmentVariable(name, "worker-secret-" + name);
        }

        using var stop = new CancellationTokenSource();
        Task<WorkerStop>? worker = null;
        try
        {
            // Started with the worker's environment in place: the standby process exists before any run.
            worker = Task.Run(() => new Worker(_server, Options()).RunAsync(stop.Token));
            var dump = Path.Combine(_project, "env.txt");
            await EnqueueAsync("dump", new JsonObject { ["path"] = dump }, new JsonObject { ["env"] = new JsonObject { ["DEPLOYMENT_SETTING"] = "from-job-variables" } });
            await UntilAsync(() => File.Exists(dump) && _server.Heartbeats.LastOrDefault()?.Count == 0, "the run dumps its environment");

            var environment = await File.ReadAllTextAsync(dump);
            environment.ShouldNotContain("worker-secret-WEIR_");
            environment.ShouldNotContain("WEIR_TEST_UNLISTED");
            environment.ShouldNotContain("the-run-token-of-this-test", customMessage: "the token comes with the assignment, never in the environment");
            environment.ShouldContain("LC_WEIR_TEST=worker-secret-LC_WEIR_TEST");
            environment.ShouldContain("PATH=");
            environment.ShouldContain("DEPLOYMENT_SETTING=from-job-variables");
            environment.ShouldContain($"{OrphanHeartbeat.NameVariable}=drain-test-worker");
        }
        finally
        {
            foreach (var name in names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            await stop.CancelAsync();
            if (worker is not null)
            {
                await worker.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    [Fact]
    public void FlowEnvironment_Build_PassesTheAllowListAndTheRunsVariables_NeverAWithheldOne()
    {
        Environment.SetEnvironmentVariable("WEIR_SECRET_KEY", "never");
        Environment.SetEnvironmentVariable("DOTNET_WEIR_TEST", "kept");
        try
        {
            var built = FlowEnvironment.Build([new("WEIR_API_URL", "http://127.0.0.1:1")]);
            built.ShouldContainKey("PATH");
            built["DOTNET_WEIR_TEST"].ShouldBe("kept");
            built["WEIR_API_URL"].ShouldBe("http://127.0.0.1:1");
            built.ShouldNotContainKey("WEIR_SECRET_KEY");
            var container = FlowEnvironment.Build(container: true);
            container.ShouldNotContainKey("PATH", "a container keeps its image's paths");
            container.ShouldNotContainKey("DOTNET_WEIR_TEST");
            FlowEnvironment.IsAllowed("WEIR_API_KEY").ShouldBeFalse();
            FlowEnvironment.IsAllowed("LC_ALL").ShouldBeTrue();
        }
        finally
        {
            Environment.SetEnvironmentVariable("WEIR_SECRET_KEY", null);
            Environment.SetEnvironmentVariable("DOTNET_WEIR_TEST", null);
        }
    }

    [Fact]
    public async Task Worker_Stopping_DrainsAShortRunToItsEnd_AndStopsALongOneAfterTheDrain()
    {
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => new Worker(_server, Options(drain: TimeSpan.FromSeconds(4))).RunAsync(stop.Token));
        var shortRun = Path.Combine(_project, "short");
        var longRun = Path.Combine(_project, "long");
        await EnqueueAsync("nap", new JsonObject { ["path"] = shortRun, ["milliseconds"] = 1500 });
        var slow = await EnqueueAsync("nap", new JsonObject { ["path"] = longRun, ["milliseconds"] = 60_000 });
        await UntilAsync(() => File.Exists(shortRun + ".started") && File.Exists(longRun + ".started"), "both runs are going");

        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();
        (await worker.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBe(WorkerStop.Stopped);
        clock.Stop();

        File.Exists(shortRun).ShouldBeTrue("the short run ended within the drain");
        File.Exists(longRun).ShouldBeFalse();
        var state = _server.States.ShouldHaveSingleItem("the short run reports its own end; the worker marks only the run it stopped");
        state.Run.ShouldBe(slow.FlowRunId);
        state.Type.ShouldBe(StateType.Crashed);
        state.Message.ShouldBe("The worker drain-test-worker stopped while the run was going: it was asked to stop and waited 4 s for the run to end.");
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(3.5));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Worker_StoppingWithRunsClaimedButNotStarted_GivesThemBack()
    {
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => new Worker(_server, Options(drain: TimeSpan.FromSeconds(10), limit: 1, prefetch: 1)).RunAsync(stop.Token));
        var first = Path.Combine(_project, "first");
        await EnqueueAsync("nap", new JsonObject { ["path"] = first, ["milliseconds"] = 1500 });
        var waiting = await EnqueueAsync("nap", new JsonObject { ["path"] = Path.Combine(_project, "second"), ["milliseconds"] = 10 });
        await UntilAsync(() => File.Exists(first + ".started"), "the first run is going");
        await Task.Delay(300);

        await stop.CancelAsync();
        await worker.WaitAsync(TimeSpan.FromSeconds(30));

        File.Exists(first).ShouldBeTrue();
        _server.States.ShouldContain(s => s.Run == waiting.FlowRunId && s.Type == StateType.Scheduled && s.Message!.Contains("drain-test-worker", StringComparison.Ordinal));
    }
}
