using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Weir.Engine;

namespace Weir.Tests;

public sealed class FlowEngineTests
{
    private static readonly Dictionary<string, object?> s_none = [];

    /// <summary>Runs the test flow <paramref name="flow"/> with no parameters; its result and what it reported.</summary>
    private static async Task<(FlowRunResult Result, MemoryRunSink Sink)> RunAsync(string flow)
    {
        var sink = new MemoryRunSink();
        return (await new FlowEngine(sink).RunAsync(Flows.Get(flow), s_none), sink);
    }

    [Fact]
    public async Task Failure_WhenTaskThrows_FlowFailsNamingTaskAndKeepsOriginalException()
    {
        var (result, sink) = await RunAsync("failing");

        result.State.Type.ShouldBe(StateType.Failed);
        result.State.Message.ShouldBe("Task run 'Boom-0' failed: InvalidOperationException: boom");
        result.FailedTask!.State.Type.ShouldBe(StateType.Failed);
        result.Exception.ShouldBeOfType<InvalidOperationException>().Message.ShouldBe("boom");
        sink.StatesOf("Boom-0").ShouldBe([StateType.Pending, StateType.Running, StateType.Failed]);
        sink.States.Where(s => s.Name == "failing").Select(s => s.State.Type).ShouldBe([StateType.Pending, StateType.Running, StateType.Failed]);
        sink.Logs.ShouldContain(l => l.TaskRunId == null && l.Message == "before");
    }

    [Fact]
    public async Task Failure_WhenFlowItselfThrows_RetriesTheFlowThenFails()
    {
        var (result, sink) = await RunAsync("own-failure");

        result.State.Type.ShouldBe(StateType.Failed);
        result.State.Message.ShouldBe("Flow run failed: ArgumentException: bad flow");
        result.Run.RunCount.ShouldBe(2);
        sink.States.Select(s => s.State.Type).ShouldBe([StateType.Pending, StateType.Running, StateType.Retrying, StateType.Running, StateType.Failed]);
    }

    [Fact]
    public async Task Async_WhenTasksAwaitedTogether_RunConcurrently()
    {
        var sink = new MemoryRunSink();
        var clock = Stopwatch.StartNew();
        var result = await new FlowEngine(sink).RunAsync(Flows.Get("fan-out"), new Dictionary<string, object?> { ["milliseconds"] = 1000 });
        clock.Stop();

        result.State.Type.ShouldBe(StateType.Completed);
        result.Value.ShouldBe(new[] { 1000, 1000, 1000 });
        result.TaskRuns.Select(t => t.TaskKey).Order().ShouldBe(["Slow-0", "Slow-1", "Slow-2"]);

        // Overlap in time: every task started before any finished.
        var running = sink.States.Where(s => s.State.Type == StateType.Running && s.Name.StartsWith("Slow", StringComparison.Ordinal)).Max(s => s.State.Timestamp);
        var completed = sink.States.Where(s => s.State.Type == StateType.Completed && s.Name.StartsWith("Slow", StringComparison.Ordinal)).Min(s => s.State.Timestamp);
        running.ShouldBeLessThan(completed);
        // Long tasks leave room for a loaded machine: in sequence they would take 3 s.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(2500), "three 1 s tasks in sequence would take 3 s");
    }

    [Fact]
    public async Task Timeout_WhenAsyncTaskHangs_FailsEachAttemptAndCancelsItsToken()
    {
        var (result, sink) = await RunAsync("hanging");

        result.State.Type.ShouldBe(StateType.Failed);
        result.Exception.ShouldBeOfType<TaskTimeoutException>().Message.ShouldBe("Task run 'Hang-0' timed out after 0.2 s.");
        sink.StatesOf("Hang-0").ShouldBe([StateType.Pending, StateType.Running, StateType.Retrying, StateType.Running, StateType.Failed]);
    }

    [Fact]
    public async Task Timeout_WhenSyncTaskHangs_FailsAndSignalsTheTask()
    {
        var sink = new MemoryRunSink();
        var clock = Stopwatch.StartNew();
        var result = await new FlowEngine(sink).RunAsync(Flows.Get("hanging-sync"), s_none);

        result.State.Type.ShouldBe(StateType.Failed);
        result.State.Message.ShouldBe("Task run 'HangSync-0' failed: TaskTimeoutException: Task run 'HangSync-0' timed out after 0.2 s.");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancel_WhenTokenCancelled_FlowAndTaskEndCancelled()
    {
        var sink = new MemoryRunSink();
        using var cancel = new CancellationTokenSource();
        var run = new FlowEngine(sink).RunAsync(Flows.Get("waiting"), s_none, cancellationToken: cancel.Token);
        await Poll.UntilAsync(() => sink.StatesOf("Slow-0").Contains(StateType.Completed), "the first task completes", interval: TimeSpan.FromMilliseconds(2));
        await cancel.CancelAsync();

        var result = await run.WaitAsync(TimeSpan.FromSeconds(5));
        result.State.Type.ShouldBe(StateType.Cancelled);
    }

    [Fact]
    public async Task Logs_WhenTasksWriteConcurrently_EachLineBelongsToItsTaskRun()
    {
        var (result, sink) = await RunAsync("talking");

        result.State.Type.ShouldBe(StateType.Completed);
        foreach (var word in new[] { "a", "b" })
        {
            var task = result.TaskRuns.Single(t => (string?)t.Parameters[0].Value == word);
            var lines = sink.Logs.Where(l => l.TaskRunId == task.Id).ToArray();
            lines.ShouldContain(l => l.Message == "said " + word && l.Source == "stdout" && l.Level == LogLevel.Information);
            lines.ShouldContain(l => l.Message == "warned " + word && l.Source == "stderr" && l.Level == LogLevel.Warning);
            lines.ShouldContain(l => l.Message == "logged " + word && l.Source == "Weir.Run");
            lines.ShouldAllBe(l => !l.Message.Contains(word == "a" ? " b" : " a"));
        }

        sink.Logs.ShouldContain(l => l.TaskRunId == null && l.Message == "flow speaks");
    }
}
