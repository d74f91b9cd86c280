using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Weir.Compiler;
using Weir.Storage.Steps;
using Weir.Client;

namespace Weir.Worker.Tests;

public sealed class WorkerTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-worker-home-").FullName;
    private readonly string _project = Directory.CreateTempSubdirectory("weir-worker-project-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private InMemoryWorkerServer _server = null!;
    private Task _worker = Task.CompletedTask;

    private const string Flow = """
        using Weir;
        public static class Jobs
        {
            [Task]
            public static void Touch(string path, string text) => File.WriteAllText(path, text);

            [Task]
            public static void Sleep(string pidFile)
            {
                File.WriteAllText(pidFile, Environment.ProcessId.ToString());
                var child = System.Diagnostics.Process.Start("sleep", "60");
                File.WriteAllText(pidFile + ".child", child.Id.ToString());
                Thread.Sleep(60_000);
            }

            [Flow("touch")]
            public static void TouchFlow(string path, string text = "ran") => Touch(path, text);

            [Flow("sleep")]
            public static void SleepFlow(string pidFile) => Sleep(pidFile);
        }
        """;

    public Task InitializeAsync()
    {
        _server = new InMemoryWorkerServer(_home);
        var options = new WorkerOptions
        {
            Pool = "test",
            WeirHome = _home,
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            ClaimWait = TimeSpan.FromMilliseconds(500),
            Command = FlowProcessCommand.FromRunnerAssembly(Path.Combine(AppContext.BaseDirectory, "Weir.Runner.dll")),
        };
        _worker = Task.Run(() => new Worker(_server, options).RunAsync(_stop.Token));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var dir in new[] { _home, _project })
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<ClaimedRun> DeployAsync(string source, string flow, JsonObject parameters, FlowStructure? recorded = null, string? workingDirectory = null)
    {
        var file = Path.Combine(_project, "flows", "jobs.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, source);
        recorded ??= (await new FlowCompiler(new FlowCompilerOptions { WeirHome = _home }).CompileAsync(file, CancellationToken.None)).Flows.Single(f => f.Name == flow);
        var folder = workingDirectory ?? _project;
        var pull = StepDefinition.ToJson(StepDefinition.ReadList(Storage.Config.YamlConfigReader.Read($"- set_working_directory:\n    directory: '{folder}'", "test"), "pull"));
        var entrypoint = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/') + ":" + flow;
        var run = new ClaimedRun
        {
            FlowRunId = Guid.NewGuid(), FlowName = "t", DeploymentName = flow + "/test", Entrypoint = entrypoint, PullSteps = pull, Structure = recorded,
            Parameters = parameters,
        };
        _server.Enqueue(run);
        return run;
    }

    private static Task UntilAsync(Func<bool> condition, string what, int seconds = 60) =>
        Poll.UntilAsync(condition, what, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task Worker_TheRootAsWorkingDirectory_RunsAnEntrypointBelowIt()
    {
        // set_working_directory: / refused every entrypoint once (its inside-the-code check built '//').
        var output = Path.Combine(_project, "root.txt");
        var run = await DeployAsync(Flow, "touch", new JsonObject { ["path"] = output, ["text"] = "ran from /" }, workingDirectory: "/");
        run.Entrypoint.ShouldStartWith(_project.TrimStart('/'));

        await UntilAsync(() => File.Exists(output) && File.ReadAllText(output) == "ran from /", "the run finishes");
    }

    [Fact]
    public async Task Worker_LocalFolderDeployment_RunsTheFlowInAChildProcessAndRecordsWhatRan()
    {
        var output = Path.Combine(_project, "out.txt");
        var run = await DeployAsync(Flow, "touch", new JsonObject { ["path"] = output, ["text"] = "hello from a worker" });

        await UntilAsync(() => File.Exists(output) && _server.Heartbeats.LastOrDefault()?.Count == 0 && !_server.Provenance.IsEmpty, "the run finishes");

        (await File.ReadAllTextAsync(output)).ShouldBe("hello from a worker");
        _server.States.ShouldBeEmpty("a completed run reports its own states; the worker adds none");
        var provenance = _server.Provenance.ShouldHaveSingleItem();
        provenance.Run.ShouldBe(run.FlowRunId);
        provenance.Drift.ShouldBeNull();
        provenance.ContentHash.ShouldNotBeNull().Length.ShouldBe(64);
        Directory.EnumerateDirectories(Path.Combine(_home, "runs"), run.FlowRunId.ToString("N") + "*").ShouldBeEmpty("run folders are cleaned up");
    }

    [Fact]
    public async Task Worker_ARunReclaimedAtOnceAfterItsProcessCrashed_RunsAgain()
    {
        // The server re-schedules a crashed run with retries left; the worker may claim it again before the attempt
        // that crashed has finished ending, so the two attempts share an id but not their tokens.
        const string crashing = """
            using Weir;
            public static class Crashing
            {
                [Task]
                public static void Once(string path)
                {
                    if (!File.Exists(path + ".first"))
                    {
                        File.WriteAllText(path + ".first", "x");
                        Environment.Exit(137);
                    }

                    File.WriteAllText(path, "second attempt");
                }

                [Flow("crash-once")]
                public static void CrashOnce(string path) => Once(path);
            }
            """;
        var output = Path.Combine(_project, "crash-once.txt");
        var parameters = new JsonObject { ["path"] = output };
        var file = Path.Combine(_project, "flows", "jobs.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, crashing);
        var recorded = (await new FlowCompiler(new FlowCompilerOptions { WeirHome = _home }).CompileAsync(file, CancellationToken.None)).Flows.Single();
        var pull = StepDefinition.ToJson(StepDefinition.ReadList(Storage.Config.YamlConfigReader.Read($"- set_working_directory:\n    directory: '{_project}'", "test"), "pull"));
        var run = new ClaimedRun
        {
            FlowRunId = Guid.NewGuid(), FlowName = "crash-once", DeploymentName = "crash-once/test", Entrypoint = "flows/jobs.cs:crash-once", PullSteps = pull, Structure = recorded,
            Parameters = parameters,
        };
        _server.RetryOnCrash[run.FlowRunId] = run;
        _server.Enqueue(run);

        // The file exists as soon as the write opens it: wait for what the second attempt writes, not for the file.
        await UntilAsync(() => File.Exists(output) && File.ReadAllText(output) == "second attempt", "the second attempt runs");

        _server.States.ShouldContain(s => s.Run == run.FlowRunId && s.Type == StateType.Crashed);
    }

    [Fact]
    public async Task Worker_ParameterTypeChanged_FailsBeforeAnyTaskWithDiffAndCommand()
    {
        var output = Path.Combine(_project, "never.txt");
        var recorded = new FlowStructure("touch", [new("path", "string", true, null), new("text", "int", false, "1")], ["Touch"]);
        var run = await DeployAsync(Flow, "touch", new JsonObject { ["path"] = output }, recorded);

        await UntilAsync(() => !_server.States.IsEmpty, "the run is failed");

        var state = _server.States.ShouldHaveSingleItem();
        state.Run.ShouldBe(run.FlowRunId);
        state.Type.ShouldBe(StateType.Failed);
        state.Message.ShouldBe("The parameters of flow 'touch' (flows/jobs.cs:touch) changed since it was deployed, so this run cannot start:\n  - text: int = 1\n  + text: string = \"ran\"\nRe-deploy to record the new parameters: weir deploy test");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public async Task Worker_RunFailedByTheStructureCheck_StillRecordsTheCommitItFetched()
    {
        // A git repository on disk holds the flow; the deployment recorded an older, incompatible structure.
        var repository = Path.Combine(_project, "repo");
        await ProjectFiles.WriteFlowAsync(repository, "jobs.cs", Flow);
        await GitAsync(repository, "init", "-q", "-b", "main");
        await GitAsync(repository, "add", "-A");
        await GitAsync(repository, "-c", "user.email=t@weir.test", "-c", "user.name=tests", "commit", "-q", "-m", "flow");
        var sha = (await GitAsync(repository, "rev-parse", "HEAD")).Trim();
        var recorded = new FlowStructure("touch", [new("path", "string", true, null), new("text", "int", false, "1")], ["Touch"]);
        var pull = StepDefinition.ToJson(StepDefinition.ReadList(Storage.Config.YamlConfigReader.Read($"- git_clone:\n    repository: '{repository}'\n    branch: main", "test"), "pull"));
        var run = new ClaimedRun
        {
            FlowRunId = Guid.NewGuid(), FlowName = "t", DeploymentName = "touch/test", Entrypoint = "flows/jobs.cs:touch", PullSteps = pull, Structure = recorded,
            Parameters = new JsonObject { ["path"] = Path.Combine(_project, "never.txt") },
        };
        _server.Enqueue(run);

        await UntilAsync(() => !_server.States.IsEmpty, "the run is failed");

        _server.States.ShouldHaveSingleItem().Type.ShouldBe(StateType.Failed);
        var provenance = _server.Provenance.ShouldHaveSingleItem();
        provenance.Run.ShouldBe(run.FlowRunId);
        provenance.Commit.ShouldBe(sha);
        provenance.ContentHash.ShouldNotBeNull().Length.ShouldBe(64);
        provenance.Drift.ShouldBeNull();
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync());
        return output;
    }

    [Fact]
    public async Task Worker_TaskAddedSinceDeploy_RunsAndRecordsADriftWarning()
    {
        var output = Path.Combine(_project, "drift.txt");
        var recorded = new FlowStructure("touch", [new("path", "string", true, null), new("text", "string", false, "\"ran\"")], []);
        await DeployAsync(Flow, "touch", new JsonObject { ["path"] = output }, recorded);

        await UntilAsync(() => File.Exists(output) && !_server.Provenance.IsEmpty, "the run finishes");

        _server.Provenance.ShouldHaveSingleItem().Drift.ShouldBe("Structure drift: flow 'touch' now calls Touch; the deployment recorded no tasks. The run went ahead. Re-deploy to record the new structure: weir deploy test");
        _server.Logs.ShouldContain(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.StartsWith("Structure drift", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_CancelRequested_KillsTheProcessTreeWithinTwoSeconds()
    {
        var pidFile = Path.Combine(_project, "sleep.pid");
        var run = await DeployAsync(Flow, "sleep", new JsonObject { ["pidFile"] = pidFile });
        await UntilAsync(() => File.Exists(pidFile + ".child") && File.ReadAllText(pidFile + ".child").Length > 0, "the flow is running");
        var pids = new[] { int.Parse(await File.ReadAllTextAsync(pidFile)), int.Parse(await File.ReadAllTextAsync(pidFile + ".child")) };

        var clock = Stopwatch.StartNew();
        _server.CancelRequests[run.FlowRunId] = true;
        await UntilAsync(() => !_server.States.IsEmpty, "the run is cancelled", seconds: 10);
        clock.Stop();

        var state = _server.States.ShouldHaveSingleItem();
        state.Type.ShouldBe(StateType.Cancelled);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        foreach (var pid in pids)
        {
            IsAlive(pid).ShouldBeFalse($"process {pid} must be gone");
        }
    }

    [Fact]
    public async Task Worker_ChildKilledWithSigkill_MarksTheRunCrashed()
    {
        var pidFile = Path.Combine(_project, "kill.pid");
        var run = await DeployAsync(Flow, "sleep", new JsonObject { ["pidFile"] = pidFile });
        await UntilAsync(() => File.Exists(pidFile + ".child") && File.ReadAllText(pidFile + ".child").Length > 0, "the flow is running");
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile));

        // Process.Kill is SIGKILL on Unix (no procps `kill` needed).
        Process.GetProcessById(pid).Kill();
        await UntilAsync(() => !_server.States.IsEmpty, "the run is marked crashed", seconds: 10);

        var state = _server.States.ShouldHaveSingleItem();
        state.Run.ShouldBe(run.FlowRunId);
        state.Type.ShouldBe(StateType.Crashed);
        state.Message.ShouldBe($"The flow process (PID {pid}) ended unexpectedly with exit code 137 (signal 9, SIGKILL).");
        try
        {
            Process.GetProcessById(int.Parse(await File.ReadAllTextAsync(pidFile + ".child"))).Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private static bool IsAlive(int pid)
    {
        // A zombie (state Z) has exited; only a running or sleeping process counts.
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(')')[^1].Trim().Split(' ')[0] != "Z";
    }
}
