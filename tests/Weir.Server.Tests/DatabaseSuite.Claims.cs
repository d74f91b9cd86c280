using System.Collections.Concurrent;
using System.Diagnostics;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task Claim_EightConcurrentClaimersOverHttp_ClaimEveryOneOf2000RunsExactlyOnce()
    {
        const int runs = 2000;
        const int claimers = 8;
        await using var server = await StartAsync();
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "busy"), default)).Deployment;
        var created = await server.Server.Store.CreateRunsAsync([.. Enumerable.Range(0, runs).Select(_ => new NewFlowRun { Deployment = deployment })], default);
        created.Count.ShouldBe(runs);

        var claimed = new ConcurrentBag<(Guid Run, string Worker)>();
        await Task.WhenAll(Enumerable.Range(0, claimers).Select(i => Task.Run(async () =>
        {
            using var client = new WeirClient(server.Server.Url);
            var worker = $"worker-{i}";
            var misses = 0;
            while (misses < 3)
            {
                var claims = await client.ClaimAsync("busy", new ClaimRequest(worker, 0), default);
                if (claims is not [var claim])
                {
                    claims.ShouldBeEmpty("a claim takes one run unless it asks for more");
                    misses++;
                    continue;
                }

                claimed.Add((claim.FlowRunId, worker));
                claim.DeploymentName.ShouldBe(deployment.FullName);
            }
        })));

        claimed.Count.ShouldBe(runs);
        claimed.Select(c => c.Run).Distinct().Count().ShouldBe(runs, "a run was claimed twice");
        claimed.Select(c => c.Run).ToHashSet().SetEquals(created.Select(r => r.Id)).ShouldBeTrue();
        claimed.Select(c => c.Worker).Distinct().Count().ShouldBeGreaterThan(1, "the claimers did not run concurrently");
        var stored = await server.Server.Store.ListRunsAsync(new FlowRunFilter { WorkPool = "busy", Limit = runs }, default);
        stored.ShouldAllBe(r => r.State == StateType.Pending && r.RunCount == 1);
        foreach (var (run, worker) in claimed.Take(50))
        {
            stored.Single(r => r.Id == run).Worker.ShouldBe(worker);
        }
    }

    [Fact]
    public async Task Claim_HonoursConcurrencyLimit_AndPausedPools()
    {
        await using var server = await StartAsync();
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "limited"), default)).Deployment;
        await server.Client.PutPoolAsync("limited", "process", 2, default);
        await server.Server.Store.CreateRunsAsync([.. Enumerable.Range(0, 5).Select(_ => new NewFlowRun { Deployment = deployment })], default);
        var many = await server.Server.Store.ClaimAsync("limited", "w1", 5, default);
        many.Count.ShouldBe(2);
        (await server.Server.Store.ClaimAsync("limited", "w2", 1, default)).ShouldBeEmpty();
        await server.Client.SetStateAsync(many[0].FlowRunId, new StateRequest(StateType.Running), default);
        await server.Client.SetStateAsync(many[0].FlowRunId, new StateRequest(StateType.Completed), default);
        (await server.Server.Store.ClaimAsync("limited", "w2", 5, default)).Count.ShouldBe(1);

        await server.Server.Store.PutPoolAsync("limited", "process", null, paused: true, default);
        (await server.Server.Store.ClaimAsync("limited", "w2", 5, default)).ShouldBeEmpty();
        (await server.Client.ListPoolsAsync(default)).Single(p => p.Name == "limited").Paused.ShouldBeTrue();
    }

    [Fact]
    public async Task LongPoll_ReturnsWithinMilliseconds_OfARunBeingCreated()
    {
        await using var server = await StartAsync();
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "waiting"), default)).Deployment;
        using var worker = new WeirClient(server.Server.Url);
        (await worker.ClaimAsync("waiting", new ClaimRequest("w1", 0), default)).ShouldBeEmpty();

        var latencies = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var claim = worker.ClaimAsync("waiting", new ClaimRequest("w1", 10), default);
            await Task.Delay(150);
            claim.IsCompleted.ShouldBeFalse("the claim returned before any run existed");
            var clock = Stopwatch.StartNew();
            var run = await server.Server.Store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, default);
            var claimed = await claim;
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            claimed.ShouldHaveSingleItem().FlowRunId.ShouldBe(run!.Id);
        }

        latencies.Order().ElementAt(2).ShouldBeLessThan(100, $"wake-up latencies: {string.Join(", ", latencies.Select(l => $"{l:0.0} ms"))}");
    }

    [Fact]
    public async Task LongPoll_ForARunScheduledLater_ReturnsWhenItIsDue()
    {
        await using var server = await StartAsync();
        var deployment = (await server.Client.DeployAsync(Deployment(pool: "later"), default)).Deployment;
        var run = await server.Server.Store.CreateRunAsync(new NewFlowRun { Deployment = deployment, Start = DateTimeOffset.UtcNow.AddMilliseconds(400) }, default);
        var clock = Stopwatch.StartNew();
        var claimed = await server.Client.ClaimAsync("later", new ClaimRequest("w1", 5), default);
        claimed.ShouldHaveSingleItem().FlowRunId.ShouldBe(run!.Id);
        clock.Elapsed.TotalMilliseconds.ShouldBeInRange(300, 1500);
    }
}
