using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Compiler;
using Weir.Worker.Hosting;

namespace Weir.Worker.Tests;

/// <summary>Standby flow processes: started ahead, handed one run (or several with runs per process), replaced when they die, stopped with the worker.</summary>
public sealed class FlowProcessStarterTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-standby-home-").FullName;
    private readonly string _project = Directory.CreateTempSubdirectory("weir-standby-project-").FullName;

    private const string Flow = """
        using Weir;
        public static class Jobs
        {
            [Task]
            public static void Touch(string path) => File.WriteAllText(path, Environment.ProcessId.ToString());

            [Flow("touch")]
            public static void TouchFlow(string path) => Touch(path);
        }
        """;

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_project, recursive: true);
    }

    private FlowProcessStarter Starter(int standby, int runsPerProcess = 1) => new(
        FlowProcessCommand.FromRunnerAssembly(Path.Combine(AppContext.BaseDirectory, "Weir.Runner.dll")),
        new Dictionary<string, string> { ["WEIR_HOME"] = _home, ["WEIR_API_URL"] = string.Empty },
        _home,
        standby,
        runsPerProcess);

    /// <summary>A flow for reused processes: a static counter, the process, the folder; a failure; an exit; a leftover process; a long sleep.</summary>
    private const string ReuseFlow = """
        using Weir;
        public static class Reuse
        {
            private static int s_runs;

            [Task]
            public static void Record(string path) =>
                File.WriteAllText(path, $"{Environment.ProcessId} {++s_runs} {Environment.CurrentDirectory}");

            [Task]
            public static void Fail() => throw new InvalidOperationException("this run fails");

            [Task]
            public static void Quit() => Environment.Exit(42);

            [Task]
            public static void Leave(string path) =>
                File.WriteAllText(path, System.Diagnostics.Process.Start("sleep", "300")!.Id.ToString());

            [Task]
            public static void Nap() => Thread.Sleep(TimeSpan.FromMinutes(5));

            [Flow("record")]
            public static void RecordFlow(string path) => Record(path);

            [Flow("fail")]
            public static void FailFlow() => Fail();

            [Flow("quit")]
            public static void QuitFlow() => Quit();

            [Flow("leave")]
            public static void LeaveFlow(string path) => Leave(path);

            [Flow("nap")]
            public static void NapFlow() => Nap();
        }
        """;

    /// <summary>Runs a flow of <see cref="ReuseFlow"/> in a fresh folder of its own; returns the folder too.</summary>
    private async Task<(FlowProcessResult Result, int Pid, string Folder, string Output)> RunReuseAsync(
        FlowProcessStarter starter, string flow, string parameters = "{}", CancellationToken cancel = default)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_project, "run-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "reuse.cs"), ReuseFlow);
        var lines = new List<string>();
        var pid = 0;
        var assignment = await AssignmentAsync(folder, "reuse.cs", flow, parameters);
        var result = await starter.RunAsync(assignment, (line, _) =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }, started => pid = started, cancel).WaitAsync(TimeSpan.FromMinutes(2));
        return (result, pid, folder, string.Join('\n', lines));
    }

    private async Task<(FlowProcessResult Result, int StartedPid, string Output)> RunTouchAsync(FlowProcessStarter starter, string file)
    {
        await File.WriteAllTextAsync(Path.Combine(_project, "jobs.cs"), Flow);
        var lines = new List<string>();
        var started = 0;
        var assignment = await AssignmentAsync(_project, "jobs.cs", "touch", $$"""{"path": "{{file}}"}""");
        var result = await starter.RunAsync(assignment, (line, _) =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }, pid => started = pid, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        return (result, started, string.Join('\n', lines));
    }

    /// <summary>What the worker hands a flow process: the flow compiled as the worker compiles it (the process does no look-up).</summary>
    private async Task<FlowRunAssignment> AssignmentAsync(string folder, string file, string flow, string parameters)
    {
        var build = await new FlowCompiler(new FlowCompilerOptions { WeirHome = _home }).CompileAsync(Path.Combine(folder, file), CancellationToken.None);
        return new FlowRunAssignment
        {
            FlowRunId = Guid.NewGuid(), FlowName = flow, WorkingDirectory = folder, SourcePath = file,
            AssemblyPath = build.AssemblyPath, PackageAssemblyPaths = build.PackageAssemblyPaths, CacheKey = build.CacheKey,
            Parameters = JsonNode.Parse(parameters)!.AsObject(),
        };
    }

    /// <summary>The flow processes started ahead by this process: direct children running the runner that have not been handed a run.</summary>
    private static List<int> StandbyChildren() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == Environment.ProcessId && CommandLine(pid).Contains(FlowProcessCommand.RunnerName, StringComparison.Ordinal))];

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static async Task<int> OneStandbyAsync()
    {
        var children = await Poll.ValueAsync(() => Task.FromResult(StandbyChildren()), c => c.Count == 1, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));
        return children is [var pid] ? pid : throw new TimeoutException("No standby process was started: " + string.Join(", ", children));
    }

    [Fact]
    public async Task ARun_IsHandedToTheStandbyStartedAhead_WhichRunsItInTheRunFolderAndExits()
    {
        using var starter = Starter(standby: 1);
        var standby = await OneStandbyAsync();

        var (result, startedPid, output) = await RunTouchAsync(starter, "out.txt");

        result.ExitCode.ShouldBe(0, output);
        startedPid.ShouldBe(standby);
        (await File.ReadAllTextAsync(Path.Combine(_project, "out.txt"))).ShouldBe(standby.ToString(System.Globalization.CultureInfo.InvariantCulture), "the relative path is the run folder's");
        Alive(standby).ShouldBeFalse("a standby runs one run and exits");
        (await OneStandbyAsync()).ShouldNotBe(standby, "another standby replaces the one taken");
    }

    [Fact]
    public async Task AStandbyThatDied_IsNotHandedTheRun_AFreshProcessRunsIt()
    {
        using var starter = Starter(standby: 1);
        var standby = await OneStandbyAsync();
        Process.GetProcessById(standby).Kill();
        await Task.Delay(200);

        var (result, startedPid, output) = await RunTouchAsync(starter, "fresh.txt");

        result.ExitCode.ShouldBe(0, output);
        startedPid.ShouldNotBe(standby);
        File.Exists(Path.Combine(_project, "fresh.txt")).ShouldBeTrue();
    }

    [Fact]
    public async Task WithoutStandby_EachRunStartsItsOwnProcess_AndDisposeStopsStandbyProcesses()
    {
        using (var none = Starter(standby: 0))
        {
            var (result, _, output) = await RunTouchAsync(none, "cold.txt");
            result.ExitCode.ShouldBe(0, output);
            StandbyChildren().ShouldBeEmpty();
        }

        var starter = Starter(standby: 1);
        var standby = await OneStandbyAsync();
        starter.Dispose();
        await Poll.WaitAsync(() => !Alive(standby), TimeSpan.FromSeconds(5));

        Alive(standby).ShouldBeFalse("the worker's standby processes stop with it");
    }

    [Fact]
    public async Task WithRunsPerProcess_OneProcessRunsThatManyRuns_EachWithFreshStaticsInItsOwnFolder_ThenExits()
    {
        using var starter = Starter(standby: 1, runsPerProcess: 3);
        var standby = await OneStandbyAsync();
        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (result, pid, folder, output) = await RunReuseAsync(starter, "record", """{"path": "record.txt"}""");
            result.ExitCode.ShouldBe(0, output);
            result.Reusable.ShouldBe(i < 2, "the third run is the process's last");
            pid.ShouldBe(standby, "every run goes to the same process");
            var record = await File.ReadAllTextAsync(Path.Combine(folder, "record.txt"));
            record.ShouldBe($"{standby} 1 {folder}", "each run loads the flow afresh (its static counter starts at 0) and runs in its own folder");
            seen.Add(record);
        }

        await Poll.WaitAsync(() => !Alive(standby), TimeSpan.FromSeconds(10));

        Alive(standby).ShouldBeFalse("after its third run the process exits");
        seen.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task AReusedProcess_ReportsAFailedRunsExitCode_AndTakesTheNextRun()
    {
        using var starter = Starter(standby: 1, runsPerProcess: 10);
        var (failed, first, _, failedOutput) = await RunReuseAsync(starter, "fail");
        var (completed, second, _, output) = await RunReuseAsync(starter, "record", """{"path": "record.txt"}""");

        failed.ExitCode.ShouldBe(1, failedOutput);
        failed.Reusable.ShouldBeTrue();
        failedOutput.ShouldContain("this run fails");
        failedOutput.ShouldNotContain(FlowProcess.RunEndedMarker.Trim());
        completed.ExitCode.ShouldBe(0, output);
        second.ShouldBe(first);
    }

    [Fact]
    public async Task WhatARunLeftRunning_IsKilledWhenItEnds_WhileTheReusedProcessLivesOn()
    {
        using var starter = Starter(standby: 1, runsPerProcess: 10);
        var (result, pid, folder, output) = await RunReuseAsync(starter, "leave", """{"path": "left.pid"}""");

        result.ExitCode.ShouldBe(0, output);
        var left = int.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "left.pid")), System.Globalization.CultureInfo.InvariantCulture);
        await Poll.WaitAsync(() => !Alive(left), TimeSpan.FromSeconds(5));

        Alive(left).ShouldBeFalse("the sleep the run started is killed with the run");
        Alive(pid).ShouldBeTrue("the flow process waits for its next run");
    }

    [Fact]
    public async Task ARunThatEndsTheReusedProcess_IsCrashed_AndCancellationKillsIt()
    {
        using var starter = Starter(standby: 1, runsPerProcess: 10);
        var (quit, quitPid, _, output) = await RunReuseAsync(starter, "quit");
        quit.ExitCode.ShouldBe(42, output);
        quit.Crashed.ShouldBeTrue();
        quit.Reusable.ShouldBeFalse();

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var (napped, napPid, _, _) = await RunReuseAsync(starter, "nap", cancel: cancel.Token);
        napped.Killed.ShouldBeTrue();
        napPid.ShouldNotBe(quitPid);
        Alive(napPid).ShouldBeFalse();
    }

    private static bool Alive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
