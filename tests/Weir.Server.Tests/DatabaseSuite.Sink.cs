using System.Reflection;
using Weir.Engine;
using Weir.Worker.Hosting;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task ServerRunSink_ReportsAFlowsTaskRunsStatesAndLogs_InAFewBatches()
    {
        await using var server = await StartAsync();
        var run = await ClaimedRunAsync(server);

        SinkFlows.Tasks = 300;
        await using var sink = new ServerRunSink(server.Client);
        var flow = FlowDefinition.FromMethod(typeof(SinkFlows).GetMethod(nameof(SinkFlows.Many), BindingFlags.Public | BindingFlags.Static)!);
        var result = await new FlowEngine(sink).RunAsync(flow, new Dictionary<string, object?>(), new FlowRunOptions { FlowRunId = run.Id });
        await sink.FlushAsync(default);

        result.Run.State.Type.ShouldBe(StateType.Completed);
        var stored = await server.Client.GetRunAsync(run.Id, default);
        stored!.State.ShouldBe(StateType.Completed);
        var tasks = await server.Client.TaskRunsAsync(run.Id, default);
        tasks.Count.ShouldBe(300);
        tasks.ShouldAllBe(t => t.State == StateType.Completed);
        (await server.Client.TaskRunHistoryAsync(tasks[0].Id, default)).Select(s => s.Type).ShouldContain(StateType.Running);
        (await server.Client.LogsAsync(run.Id, 0, 10_000, default)).Count(l => l.Message.StartsWith("step ", StringComparison.Ordinal)).ShouldBe(300);
        sink.BatchesSent.ShouldBeLessThan(30, "the sink sends batches, not one call per task");
    }

    [Fact]
    public async Task ServerRunSink_SplitsLargeLogVolumes_IntoBatchesTheServerAccepts()
    {
        await using var server = await StartAsync();
        var run = await NewRunAsync(server);
        await using var sink = new ServerRunSink(server.Client);
        var line = new string('z', 60 * 1024);
        for (var i = 0; i < 300; i++)
        {
            sink.OnLog(new LogRecord(run.Id, null, DateTimeOffset.UtcNow, Microsoft.Extensions.Logging.LogLevel.Information, "stdout", line));
        }

        sink.OnLog(new LogRecord(run.Id, null, DateTimeOffset.UtcNow, Microsoft.Extensions.Logging.LogLevel.Warning, "stderr", new string('q', 200_000)));
        await sink.FlushAsync(default);
        var logs = await server.Client.LogsAsync(run.Id, 0, 10_000, default);
        logs.Count.ShouldBe(301);
        logs[^1].Message.ShouldEndWith("more characters cut)");
        sink.BatchesSent.ShouldBeGreaterThan(5);
    }
}
