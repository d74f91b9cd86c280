namespace Weir.Server.Tests;

/// <summary>No task run outlives its flow run, on both databases.</summary>
public abstract partial class DatabaseSuite
{
    /// <summary>A claimed, Running flow run with task runs Completed, Running, Retrying and Pending (as a killed flow process leaves them).</summary>
    private static async Task<(FlowRunDto Run, Guid Done, Guid Going, Guid Retrying, Guid Waiting)> RunWithOpenTasksAsync(TestServer server, int retries = 0)
    {
        var run = await ClaimedRunAsync(server, retries);
        var (done, going, retrying, waiting) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var t = DateTimeOffset.UtcNow;
        var batch = new EventBatch
        {
            FlowRunStates = [new RunStateEvent(run.Id, StateType.Running, null, t)],
            TaskRuns =
            [
                new TaskRunDto { Id = done, FlowRunId = run.Id, TaskName = "GetData", TaskKey = "GetData-0", StateTime = t },
                new TaskRunDto { Id = going, FlowRunId = run.Id, TaskName = "PrintData", TaskKey = "PrintData-0", StateTime = t },
                new TaskRunDto { Id = retrying, FlowRunId = run.Id, TaskName = "PrintData", TaskKey = "PrintData-1", StateTime = t },
                new TaskRunDto { Id = waiting, FlowRunId = run.Id, TaskName = "PrintData", TaskKey = "PrintData-2", StateTime = t },
            ],
            TaskRunStates =
            [
                new RunStateEvent(done, StateType.Running, null, t), new RunStateEvent(done, StateType.Completed, null, t.AddMilliseconds(1)),
                new RunStateEvent(going, StateType.Running, null, t.AddMilliseconds(2)),
                new RunStateEvent(retrying, StateType.Running, null, t.AddMilliseconds(2)), new RunStateEvent(retrying, StateType.Retrying, "Attempt 1 of 2 failed", t.AddMilliseconds(3)),
                new RunStateEvent(waiting, StateType.Pending, null, t.AddMilliseconds(3)),
            ],
        };
        (await server.Client.SendEventsAsync(batch, default)).Refused.ShouldBeEmpty();
        return (run, done, going, retrying, waiting);
    }

    [Fact]
    public async Task Cancel_WhenTaskRunning_EndsTaskCancelled()
    {
        await using var server = await StartAsync();
        var (run, done, going, retrying, waiting) = await RunWithOpenTasksAsync(server);

        (await server.Client.CancelAsync(run.Id, default)).State.ShouldBe(StateType.Cancelling);
        (await server.Client.TaskRunsAsync(run.Id, default)).Single(t => t.Id == going).State.ShouldBe(StateType.Running, "Cancelling is not the end yet");
        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Cancelled, "The flow process (PID 4711) was stopped."), default);

        var tasks = (await server.Client.TaskRunsAsync(run.Id, default)).ToDictionary(t => t.Id);
        tasks[done].State.ShouldBe(StateType.Completed);
        foreach (var open in new[] { going, retrying, waiting })
        {
            tasks[open].State.ShouldBe(StateType.Cancelled);
            tasks[open].StateMessage.ShouldBe("Its flow run ended Cancelled before it finished.");
            var history = await server.Client.TaskRunHistoryAsync(open, default);
            history[^1].Type.ShouldBe(StateType.Cancelled);
            history[^1].Message.ShouldBe("Its flow run ended Cancelled before it finished.");
        }

        (await server.Client.TaskRunHistoryAsync(done, default)).Select(s => s.Type).ShouldBe([StateType.Running, StateType.Completed]);
        (await server.Client.GetRunAsync(run.Id, default))!.StateMessage.ShouldBe("The flow process (PID 4711) was stopped.");
    }

    [Fact]
    public async Task Crash_WhenTaskRunning_EndsTaskCrashed_AlsoWhenTheRunIsRescheduled()
    {
        await using var server = await StartAsync();
        var (run, done, going, retrying, waiting) = await RunWithOpenTasksAsync(server, retries: 1);

        var after = await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Crashed, "The flow process (PID 4711) ended unexpectedly with exit code 137."), default);

        after.State.ShouldBe(StateType.Scheduled, "a crash with retries left is re-scheduled");
        var tasks = (await server.Client.TaskRunsAsync(run.Id, default)).ToDictionary(t => t.Id);
        tasks[done].State.ShouldBe(StateType.Completed);
        foreach (var open in new[] { going, retrying, waiting })
        {
            tasks[open].State.ShouldBe(StateType.Crashed);
            tasks[open].StateMessage.ShouldBe("Its flow run ended Crashed before it finished.");
        }
    }

    [Fact]
    public async Task LostWorker_WhenTaskRunning_EndsTaskCrashed()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var (run, _, going, _, _) = await RunWithOpenTasksAsync(server);

        time.Advance(TimeSpan.FromMinutes(5));
        (await server.Server.Store.CrashRunsOfLostWorkersAsync(TimeSpan.FromSeconds(30), default)).ShouldBe(1);

        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Crashed);
        (await server.Client.TaskRunsAsync(run.Id, default)).Single(t => t.Id == going).State.ShouldBe(StateType.Crashed);
    }

    [Fact]
    public async Task FlowRunEnds_InTheSameBatchAsItsTasks_LeavesNoTaskRunOpen_AndALateTaskReportCannotReopenOne()
    {
        await using var server = await StartAsync();
        var (run, done, going, _, _) = await RunWithOpenTasksAsync(server);
        var t = DateTimeOffset.UtcNow.AddSeconds(1);

        // A flow that returned without awaiting a task: the engine reports Completed while one is still Running.
        (await server.Client.SendEventsAsync(new EventBatch { FlowRunStates = [new RunStateEvent(run.Id, StateType.Completed, null, t)] }, default)).Refused.ShouldBeEmpty();
        var tasks = (await server.Client.TaskRunsAsync(run.Id, default)).ToDictionary(x => x.Id);
        tasks[done].State.ShouldBe(StateType.Completed);
        tasks[going].State.ShouldBe(StateType.Cancelled);
        tasks[going].StateMessage.ShouldBe("Its flow run ended Completed before it finished.");

        // A report that comes after the end (a process the server already gave up on) does not start it again.
        (await server.Client.SendEventsAsync(new EventBatch { TaskRunStates = [new RunStateEvent(going, StateType.Running, null, t.AddSeconds(1))] }, default)).Refused.ShouldBeEmpty();
        (await server.Client.TaskRunsAsync(run.Id, default)).ShouldAllBe(x => x.State.IsTerminal());
    }
}
