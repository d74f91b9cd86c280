using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task Worker_RestartedUnderTheSameNameWithoutItsRun_HasTheRunCrashedOnceTheWindowPasses()
    {
        // A service manager restarts a killed worker with its fixed --name: the name heart-beats again, but the runs that
        // died with the worker's last life are in no heart-beat. They must crash (and be re-run), not stay Running for ever.
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "svc"), default)).Deployment;
        var run = (await server.Server.Store.CreateRunsAsync([new NewFlowRun { Deployment = deployment }], default)).Single();
        await server.Server.Store.ClaimAsync("svc", "worker-1", 1, default);
        var silence = TimeSpan.FromSeconds(30);

        // Claimed, not listed yet (a heart-beat comes a second later): a claim itself marks the run alive.
        time.Advance(TimeSpan.FromSeconds(20));
        await server.Server.Store.HeartbeatAsync("svc", "worker-1", [], default);
        (await server.Server.Store.CrashRunsOfLostWorkersAsync(silence, default)).ShouldBe(0, "claimed 20 s ago: within the window");

        // Listed while it runs.
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await server.Server.Store.HeartbeatAsync("svc", "worker-1", [run.Id], default);
            (await server.Server.Store.CrashRunsOfLostWorkersAsync(silence, default)).ShouldBe(0, "its worker lists it");
        }

        // Killed and restarted under the same name: heart-beats without the run.
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(9));
            await server.Server.Store.HeartbeatAsync("svc", "worker-1", [], default);
            (await server.Server.Store.CrashRunsOfLostWorkersAsync(silence, default)).ShouldBe(0, "not listed for less than the window");
        }

        time.Advance(TimeSpan.FromSeconds(4));
        await server.Server.Store.HeartbeatAsync("svc", "worker-1", [], default);
        (await server.Server.Store.CrashRunsOfLostWorkersAsync(silence, default)).ShouldBe(1);
        var crashed = (await server.Client.GetRunAsync(run.Id, default))!;
        crashed.State.ShouldBe(StateType.Crashed);
        crashed.StateMessage.ShouldBe("Worker worker-1 heart-beats without the run (it restarted without it; not listed for more than 30 s).");
    }
}
