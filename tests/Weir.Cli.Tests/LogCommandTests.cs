using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Cli.Tests;

/// <summary>Logs in the terminal: who wrote each line, in time order, and never a control character from a run.</summary>
[Collection(ServerCollection.Name)]
public sealed class LogCommandTests(ServerFixture server)
{
    private const string Escapes = "red \u001b[31malert\u001b[0m, title \u001b]0;pwned\u0007, clear \u001b[2J, bidi \u202egnp.exe";

    /// <summary>A run that ran and completed: its states and logs in one batch, as a quick flow process sends them.</summary>
    private async Task<FlowRunDto> FinishedRunAsync(string deployment)
    {
        var run = (await server.Store.CreateRunAsync(new NewFlowRun { Deployment = await server.DeployAsync(deployment) }, CancellationToken.None))!;
        var task = Guid.CreateVersion7();
        var t = DateTimeOffset.UtcNow;
        await server.Store.ApplyBatchAsync(new EventBatch
        {
            FlowRunStates = [new RunStateEvent(run.Id, StateType.Running, null, t), new RunStateEvent(run.Id, StateType.Completed, null, t.AddMilliseconds(30))],
            TaskRuns = [new TaskRunDto { Id = task, FlowRunId = run.Id, TaskName = "Report", TaskKey = "Report-0", StateTime = t.AddMilliseconds(5) }],
            TaskRunStates = [new RunStateEvent(task, StateType.Running, null, t.AddMilliseconds(5)), new RunStateEvent(task, StateType.Completed, null, t.AddMilliseconds(20))],
            Logs =
            [
                new LogDto(0, run.Id, null, t.AddMilliseconds(1), "INFO", "stdout", "the flow begins"),
                new LogDto(0, run.Id, task, t.AddMilliseconds(10), "INFO", "stdout", "report: " + Escapes),
                new LogDto(0, run.Id, task, t.AddMilliseconds(11), "WARNING", "Weir.Engine", "a warning from the engine"),
                new LogDto(0, run.Id, null, t.AddMilliseconds(25), "INFO", "stdout", "the flow ends"),
            ],
        }, CancellationToken.None);
        return run;
    }

    [Fact]
    public async Task Logs_SayWhichTaskRunWroteEachLine_AndShowControlCharactersEscaped()
    {
        var run = await FinishedRunAsync("logs-who");

        var (exit, stdout, stderr) = await server.WeirAsync(["flow-run", "logs", run.ShortId]);

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("| INFO    | Flow run - the flow begins");
        stdout.ShouldContain(@"| INFO    | Task run 'Report-0' - report: red \x1b[31malert\x1b[0m, title \x1b]0;pwned\x07, clear \x1b[2J, bidi \u202egnp.exe");
        stdout.ShouldContain("| WARNING | Task run 'Report-0' - a warning from the engine");
        stdout.ShouldNotContain("stdout");
        stdout.ShouldNotContain("Weir.Engine");
        stdout.ShouldNotContain("\u001b");
        stdout.ShouldNotContain("\u202e");
    }

    [Fact]
    public async Task Watch_PrintsStatesAndLogsInTimeOrder()
    {
        var run = await FinishedRunAsync("watch-order");

        var (exit, stdout, stderr) = await server.WeirAsync(["flow-run", "watch", run.ShortId]);

        exit.ShouldBe(0, stdout + stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int Index(string text)
        {
            var index = lines.FindIndex(l => l.Contains(text, StringComparison.Ordinal));
            index.ShouldBeGreaterThanOrEqualTo(0, text + " in:\n" + stdout);
            return index;
        }

        var order = new[]
        {
            $"| STATE   | Flow run {run.ShortId} - Scheduled",
            $"| STATE   | Flow run {run.ShortId} - Running",
            "| Flow run - the flow begins",
            "| Task run 'Report-0' - report: ",
            "| Task run 'Report-0' - a warning from the engine",
            "| Flow run - the flow ends",
            $"| STATE   | Flow run {run.ShortId} - Completed",
            $"Flow run {run.ShortId} ended Completed after ",
        }.Select(Index).ToList();
        order.ShouldBeInOrder(SortDirection.Ascending, stdout);
        stdout.ShouldNotContain("\u001b");
    }
}
