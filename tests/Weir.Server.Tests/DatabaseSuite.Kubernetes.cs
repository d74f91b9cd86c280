using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task LostWorker_WhileAnotherWorkerOfThePoolListsTheRunAlive_IsNotCrashedUntilNoWorkerDoes()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "k8s"), default)).Deployment;
        var run = (await server.Server.Store.CreateRunsAsync([new NewFlowRun { Deployment = deployment }], default)).Single();
        (await server.Server.Store.ClaimAsync("k8s", "worker-a", 1, default)).Single().Attempt.ShouldBe(1, "the first claim is attempt 1: a Kubernetes Job is named from it");

        // worker-a is gone; worker-b sees the run's Job alive and says so in every heart-beat.
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await server.Server.Store.HeartbeatAsync("k8s", "worker-b", [run.Id], default);
            (await server.Server.Store.CrashRunsOfLostWorkersAsync(TimeSpan.FromSeconds(30), default)).ShouldBe(0, "a worker of the pool sees the run alive");
        }

        // The Job ended without its runner reporting (the pod died): nobody lists the run any more.
        time.Advance(TimeSpan.FromSeconds(31));
        await server.Server.Store.HeartbeatAsync("k8s", "worker-b", [], default);
        (await server.Server.Store.CrashRunsOfLostWorkersAsync(TimeSpan.FromSeconds(30), default)).ShouldBe(1);
        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Crashed);
    }

    [Fact]
    public async Task Heartbeat_ListingARunOfAnotherPool_DoesNotKeepItAlive()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "k8s"), default)).Deployment;
        var run = (await server.Server.Store.CreateRunsAsync([new NewFlowRun { Deployment = deployment }], default)).Single();
        await server.Server.Store.ClaimAsync("k8s", "worker-a", 1, default);

        time.Advance(TimeSpan.FromSeconds(40));
        await server.Server.Store.HeartbeatAsync("other-pool", "worker-b", [run.Id], default);
        (await server.Server.Store.CrashRunsOfLostWorkersAsync(TimeSpan.FromSeconds(30), default)).ShouldBe(1);
    }

    [Fact]
    public async Task Heartbeat_OfAnotherWorkerKey_DoesNotKeepARunAlive_WhileAnotherWorkerOfItsOwnKeyDoes()
    {
        // Issue 16: a key keeps alive only the runs it claimed (under any worker name: a kubernetes worker restarted under a
        // new name adopts its Jobs), so no key can keep another key's run Pending for ever.
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "k8s"), default)).Deployment;
        var run = (await server.Store.CreateRunsAsync([new NewFlowRun { Deployment = deployment }], default)).Single();
        await server.Store.ClaimAsync("k8s", "worker-a", 1, TimeSpan.Zero, "key-a", default);

        time.Advance(TimeSpan.FromSeconds(20));
        await server.Store.HeartbeatAsync("k8s", "worker-a2", [run.Id], "key-a", default);
        await server.Store.HeartbeatAsync("k8s", "worker-b", [run.Id], "key-b", default);
        time.Advance(TimeSpan.FromSeconds(20));
        (await server.Store.CrashRunsOfLostWorkersAsync(TimeSpan.FromSeconds(30), default)).ShouldBe(0, "worker-a2 of the claiming key listed it 20 s ago");

        time.Advance(TimeSpan.FromSeconds(11));
        await server.Store.HeartbeatAsync("k8s", "worker-b", [run.Id], "key-b", default);
        (await server.Store.CrashRunsOfLostWorkersAsync(TimeSpan.FromSeconds(30), default)).ShouldBe(1, "key-b's listing does not count");
    }

    [Fact]
    public async Task PutPool_WithAJobTemplate_KeepsItUntilAnotherReplacesIt()
    {
        await using var server = await StartAsync();
        var template = new JsonObject { ["job_manifest"] = new JsonObject { ["kind"] = "Job" }, ["variables"] = new JsonObject { ["type"] = "object" } };
        (await server.Client.PutPoolAsync("k8s", new WorkPoolRequest(WorkPoolTypes.Kubernetes, BaseJobTemplate: template), default)).BaseJobTemplate.ShouldNotBeNull();

        var updated = await server.Client.PutPoolAsync("k8s", WorkPoolTypes.Kubernetes, 3, default);
        updated.ConcurrencyLimit.ShouldBe(3);
        JsonNode.DeepEquals(updated.BaseJobTemplate, template).ShouldBeTrue("a pool update without a template keeps the one it has");
        (await server.Client.GetPoolAsync("k8s", default))!.Type.ShouldBe(WorkPoolTypes.Kubernetes);
    }
}
