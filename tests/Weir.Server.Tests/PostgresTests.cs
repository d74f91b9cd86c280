using System.Diagnostics;
using Weir.Server.Tests.Infrastructure;

namespace Weir.Server.Tests;

/// <summary>The database suite on PostgreSQL: one private cluster for the run, a database per test; plus what only PostgreSQL does.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTests(PostgresFixture postgres) : DatabaseSuite
{
    protected override async Task<string?> NewDatabaseAsync() => await postgres.CreateDatabaseAsync();

    [Fact]
    public async Task LongPoll_OnAnotherServerProcess_IsWokenByNotify()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var waiting = await StartOnAsync(database);
        await using var other = await StartOnAsync(database);
        var deployment = (await other.Client.DeployAsync(Deployment(pool: "shared"), default)).Deployment;
        await Task.Delay(300); // the listener connects in the background

        var claim = waiting.Client.ClaimAsync("shared", new ClaimRequest("w1", 10), default);
        await Task.Delay(200);
        claim.IsCompleted.ShouldBeFalse();
        var clock = Stopwatch.StartNew();
        var run = await other.Server.Store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, default);
        var claimed = await claim;
        clock.Stop();
        claimed.ShouldHaveSingleItem().FlowRunId.ShouldBe(run!.Id);
        clock.Elapsed.TotalMilliseconds.ShouldBeLessThan(1000, "the fallback poll is 2 s; NOTIFY should wake the claim at once");
    }

    [Fact]
    public async Task Migrations_AreAppliedOnce_WhenTwoServersStartOnOneDatabase()
    {
        var database = await postgres.CreateDatabaseAsync();
        var servers = await Task.WhenAll(StartOnAsync(database), StartOnAsync(database));
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        await using var third = await StartOnAsync(database);
        (await third.Client.ListDeploymentsAsync(default)).ShouldBeEmpty();
    }
}
