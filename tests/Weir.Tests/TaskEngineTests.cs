using Microsoft.Extensions.Time.Testing;
using Weir.Engine;

namespace Weir.Tests;

// Tests here share Flows.Attempts; xunit runs the tests of one class one at a time.
public sealed class TaskEngineTests
{
    [Fact]
    public async Task Retry_WhenTaskFailsTwice_RetriesWithDelayAndCompletes()
    {
        Flows.Attempts = 0;
        Flows.FailUntilAttempt = 3;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sink = new MemoryRunSink();
        var run = Task.Run(() => new FlowEngine(sink, time).RunAsync(Flows.Get("retrying"), new Dictionary<string, object?> { ["value"] = 21 }));

        for (var retry = 1; retry <= 2; retry++)
        {
            await Poll.UntilAsync(() => sink.StatesOf("Flaky-0").Count(s => s == StateType.Retrying) == retry, $"retry {retry} is recorded", interval: TimeSpan.FromMilliseconds(2));
            time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
            await Task.Delay(50);
            sink.StatesOf("Flaky-0").Count(s => s == StateType.Running).ShouldBe(retry, "the next attempt must wait the whole delay");
            time.Advance(TimeSpan.FromTicks(1));
        }

        var result = await run;
        result.State.Type.ShouldBe(StateType.Completed);
        result.Value.ShouldBe(42);
        Flows.Attempts.ShouldBe(3);
        sink.StatesOf("Flaky-0").ShouldBe([StateType.Pending, StateType.Running, StateType.Retrying, StateType.Running, StateType.Retrying, StateType.Running, StateType.Completed]);
        var task = result.TaskRuns.ShouldHaveSingleItem();
        task.RunCount.ShouldBe(3);
        task.Result.ShouldBe(42);
        var running = sink.States.Where(s => s.Name == "Flaky-0" && s.State.Type == StateType.Running).Select(s => s.State.Timestamp).ToArray();
        (running[1] - running[0]).ShouldBe(TimeSpan.FromSeconds(10));
        (running[2] - running[1]).ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Retry_WhenRetriesRunOut_FailsTheFlowNamingTheTask()
    {
        Flows.Attempts = 0;
        Flows.FailUntilAttempt = 100;
        var time = new FakeTimeProvider();
        var sink = new MemoryRunSink();
        var run = Task.Run(() => new FlowEngine(sink, time).RunAsync(Flows.Get("retrying"), new Dictionary<string, object?> { ["value"] = 1 }));
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        var result = await run;
        Flows.Attempts.ShouldBe(3);
        result.State.Type.ShouldBe(StateType.Failed);
        result.FailedTask!.TaskKey.ShouldBe("Flaky-0");
        result.State.Message.ShouldBe("Task run 'Flaky-0' failed: InvalidOperationException: attempt 3 failed");
        result.Exception.ShouldBeOfType<InvalidOperationException>();
        sink.Logs.ShouldContain(l => l.Message.StartsWith("Task run 'Flaky-0' failed after 3 attempts: System.InvalidOperationException: attempt 3 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nested_WhenTaskCallsTask_RecordsBothWithParent()
    {
        Flows.Attempts = 0;
        Flows.FailUntilAttempt = 0;
        var sink = new MemoryRunSink();
        var result = await new FlowEngine(sink).RunAsync(Flows.Get("nested"), new Dictionary<string, object?>());

        result.State.Type.ShouldBe(StateType.Completed);
        result.Value.ShouldBe(3);
        var outer = result.TaskRuns.Single(t => t.TaskName == "Outer");
        var inner = result.TaskRuns.Single(t => t.TaskName == "Flaky");
        inner.ParentTaskRunId.ShouldBe(outer.Id);
        inner.Parameters.ShouldBe([new KeyValuePair<string, object?>("value", 1)]);
    }

    [Fact]
    public void Run_OutsideAFlow_IsAPlainCall()
    {
        Flows.Attempts = 0;
        Flows.FailUntilAttempt = 0;
        Flows.Flaky(4).ShouldBe(8);
        RunContext.Current.ShouldBeNull();
    }
}
