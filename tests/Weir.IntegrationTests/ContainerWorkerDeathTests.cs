using Xunit.Abstractions;

namespace Weir.IntegrationTests;

/// <summary>
/// A container worker killed with SIGKILL, on the collection's real daemon: its containers neither
/// run forever nor run a flow twice. Each test starts and kills its own worker of the doomed pool.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerWorkerDeathTests(ContainerFixture fixture, ITestOutputHelper output)
{
    private async Task<string> ContainersOfWorkerAsync(string worker) =>
        (await fixture.DockerAsync(["ps", "--all", "--format", "{{.Names}}", "--filter", "label=weir.worker=" + worker])).Output.Trim();

    private static Task<string> WaitUntilAsync(Func<Task<string>> probe, Func<string, bool> done, TimeSpan limit) =>
        Poll.ValueAsync(probe, done, limit, TimeSpan.FromMilliseconds(250));

    private async Task<string> LogsAsync(Guid id) =>
        string.Join('\n', (await fixture.Client.LogsAsync(id, 0, 1000, CancellationToken.None)).Select(l => l.Message));

    [Fact]
    public async Task SigkilledWorker_TheContainerHeartBeatsItsRun_WhichCompletesOnceAndNotCrashed_ThenTheContainerIsGone()
    {
        var worker = fixture.StartWorker("doomed-1");
        try
        {
            var run = await fixture.Client.CreateRunAsync("linger", "linger", new JsonObject { ["seconds"] = 25 }, CancellationToken.None);
            var running = await fixture.WaitForAsync(run.Id, StateType.Running, StateType.Failed, StateType.Crashed);
            running.State.ShouldBe(StateType.Running, $"{running.StateMessage}\n{worker.Output}");
            (await ContainersOfWorkerAsync("doomed-1")).ShouldStartWith($"weir-{run.Id:N}-");

            worker.KillHard(); // SIGKILL to the worker alone, as the OOM killer or kill -9 would.
            await worker.WaitForExitAsync();

            // Past the server's worker silence the run is still Running: the container heart-beats it.
            await Task.Delay(ContainerFixture.WorkerSilence + TimeSpan.FromSeconds(4));
            var later = (await fixture.Client.GetRunAsync(run.Id, CancellationToken.None))!;
            later.State.ShouldBe(StateType.Running, $"{later.StateMessage}\n{worker.Output}");

            var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelled);
            var logs = await LogsAsync(run.Id);
            done.State.ShouldBe(StateType.Completed, $"{done.StateMessage}\n{logs}");
            logs.Split('\n').Count(l => l.Contains("linger started", StringComparison.Ordinal)).ShouldBe(1, logs);
            logs.ShouldContain("lingered 25 s");
            var finished = DateTime.UtcNow;
            (await WaitUntilAsync(() => ContainersOfWorkerAsync("doomed-1"), c => c.Length == 0, TimeSpan.FromSeconds(20))).ShouldBeEmpty();
            output.WriteLine($"container gone {(DateTime.UtcNow - finished).TotalSeconds:F1} s after the run completed");
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }

    [Fact]
    public async Task SigkilledWorker_RestartedUnderItsName_LeavesTheRunningContainer_AndCancellingTheRunStopsAndRemovesIt()
    {
        var worker = fixture.StartWorker("doomed-2");
        RunningProcess? restarted = null;
        try
        {
            var run = await fixture.Client.CreateRunAsync("sleep", "nap", null, CancellationToken.None);
            var running = await fixture.WaitForAsync(run.Id, StateType.Running, StateType.Failed, StateType.Crashed);
            running.State.ShouldBe(StateType.Running, $"{running.StateMessage}\n{worker.Output}");
            var container = await ContainersOfWorkerAsync("doomed-2");
            container.ShouldStartWith($"weir-{run.Id:N}-");
            worker.KillHard();
            await worker.WaitForExitAsync();

            // A worker started again under the same name finds the container, whose run is still going, and leaves it.
            restarted = fixture.StartWorker("doomed-2");
            (await WaitUntilAsync(() => Task.FromResult(restarted.Output), l => l.Contains("started: container pool", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))
                .ShouldContain($"container {container} of an earlier start of this worker still runs flow run {run.Id} (Running)");
            (await ContainersOfWorkerAsync("doomed-2")).ShouldBe(container);

            // Cancelling: the restarted worker is not running it, so the container's runner obeys the server itself.
            var asked = DateTime.UtcNow;
            await fixture.Client.CancelAsync(run.Id, CancellationToken.None);
            var done = await fixture.WaitForAsync(run.Id, StateType.Cancelled, StateType.Completed, StateType.Failed, StateType.Crashed);
            done.State.ShouldBe(StateType.Cancelled, $"{done.StateMessage}\n{restarted.Output}");
            done.StateMessage.ShouldNotBeNull().ShouldContain("the worker doomed-2 was gone");
            (await WaitUntilAsync(() => ContainersOfWorkerAsync("doomed-2"), c => c.Length == 0, TimeSpan.FromSeconds(20))).ShouldBeEmpty();
            output.WriteLine($"cancelled and container gone {(DateTime.UtcNow - asked).TotalSeconds:F1} s after the cancel request");
        }
        finally
        {
            await worker.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WorkerStart_RemovesItsStoppedContainers_AndRunningOnesWhoseRunIsOver_ButNotOtherWorkers()
    {
        string[] Labels(string worker, Guid run) => ["--label", "weir.worker=" + worker, "--label", "weir.pool=" + ContainerFixture.DoomedPool, "--label", "weir.flow-run-id=" + run];
        var completed = await fixture.Client.CreateRunAsync("hello", "hello", null, CancellationToken.None);
        (await fixture.WaitForAsync(completed.Id, StateType.Completed)).State.ShouldBe(StateType.Completed);
        (await fixture.DockerAsync(["run", "--name", "leftover-exited", .. Labels("doomed-3", Guid.NewGuid()), ContainerFixture.BaseImage, "true"])).ExitCode.ShouldBe(0);
        (await fixture.DockerAsync(["run", "--detach", "--name", "leftover-done", .. Labels("doomed-3", completed.Id), ContainerFixture.BaseImage, "sleep", "300"])).ExitCode.ShouldBe(0);
        (await fixture.DockerAsync(["run", "--detach", "--name", "leftover-unknown", .. Labels("doomed-3", Guid.NewGuid()), ContainerFixture.BaseImage, "sleep", "300"])).ExitCode.ShouldBe(0);
        (await fixture.DockerAsync(["run", "--detach", "--name", "someone-elses", .. Labels("another-worker", completed.Id), ContainerFixture.BaseImage, "sleep", "300"])).ExitCode.ShouldBe(0);
        var worker = fixture.StartWorker("doomed-3");
        try
        {
            var text = await WaitUntilAsync(() => Task.FromResult(worker.Output), l => l.Contains("started: container pool", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            text.ShouldContain("removed container leftover-exited left by an earlier start of this worker: it is exited");
            text.ShouldContain($"removed container leftover-done left by an earlier start of this worker: its flow run {completed.Id} is Completed");
            text.ShouldContain("removed container leftover-unknown left by an earlier start of this worker: its flow run");
            (await ContainersOfWorkerAsync("doomed-3")).ShouldBeEmpty();
            (await ContainersOfWorkerAsync("another-worker")).ShouldBe("someone-elses");
        }
        finally
        {
            await worker.DisposeAsync();
            await fixture.DockerAsync(["rm", "--force", "someone-elses"]);
        }
    }
}
