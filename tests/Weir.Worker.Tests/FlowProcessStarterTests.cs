using System.Diagnostics;

namespace Weir.Worker.Tests;

/// <summary>Standby flow processes: started ahead, handed exactly one run, replaced when they die, stopped with the worker.</summary>
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

    private FlowProcessStarter Starter(int standby) => new(
        FlowProcessCommand.FromCliAssembly(Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll")),
        new Dictionary<string, string> { ["WEIR_HOME"] = _home, ["WEIR_API_URL"] = string.Empty },
        _home,
        standby);

    private async Task<(FlowProcessResult Result, int StartedPid, string Output)> RunTouchAsync(FlowProcessStarter starter, string file)
    {
        await File.WriteAllTextAsync(Path.Combine(_project, "jobs.cs"), Flow);
        var lines = new List<string>();
        var started = 0;
        string[] arguments = ["flow-run", "execute", Guid.NewGuid().ToString(), "--source", "jobs.cs", "--flow", "touch", "--params-json", $$"""{"path": "{{file}}"}"""];
        var result = await starter.RunAsync(arguments, _project, (line, _) =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }, pid => started = pid, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        return (result, started, string.Join('\n', lines));
    }

    /// <summary>The standby children of this process: direct children whose command line is <c>flow-run standby</c>.</summary>
    private static List<int> StandbyChildren() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == Environment.ProcessId && CommandLine(pid).Contains("flow-run\0standby", StringComparison.Ordinal))];

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
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (StandbyChildren() is [var pid])
            {
                return pid;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No standby process was started: " + string.Join(", ", StandbyChildren()));
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
        var clock = Stopwatch.StartNew();
        while (Alive(standby) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Alive(standby).ShouldBeFalse("the worker's standby processes stop with it");
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
