using System.Net;

namespace Weir.Server.Tests;

/// <summary>Run ids people can use: short ids and prefixes, on both databases.</summary>
public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task CreateRuns_InOneMoment_GetDistinctShortIds_FromTheRandomPartOfTheId()
    {
        await using var server = await StartAsync(FakeTime());
        var deployment = (await server.Server.Store.UpsertDeploymentAsync(Deployment(), default)).Deployment;

        var runs = await server.Server.Store.CreateRunsAsync([.. Enumerable.Repeat(new NewFlowRun { Deployment = deployment }, 200)], default);

        runs.Select(r => r.Id.ToString("N")[..8]).Distinct().Count().ShouldBe(1, "a UUIDv7 starts with its time, so the first digits say nothing");
        runs.Select(r => r.ShortId).Distinct().Count().ShouldBe(200);
        runs.Select(r => r.ShortId).ShouldBe(runs.Select(r => r.Id.ToString("N").Substring(20, 8)));
        var json = await server.Http.GetStringAsync($"/api/flow-runs/{runs[7].Id}");
        json.ShouldContain($"\"shortId\":\"{runs[7].ShortId}\"", customMessage: "the API carries the short id");
    }

    [Fact]
    public async Task FindRuns_ByTheStartOfTheIdOrOfTheShortId_FindsExactlyThoseRuns()
    {
        await using var server = await StartAsync();
        var store = server.Server.Store;
        var deployment = (await store.UpsertDeploymentAsync(Deployment(), default)).Deployment;
        var runs = await store.CreateRunsAsync([.. Enumerable.Repeat(new NewFlowRun { Deployment = deployment }, 5)], default);
        var run = runs[2];

        foreach (var prefix in new[] { run.ShortId, run.ShortId[..5], run.ShortId.ToUpperInvariant(), run.Id.ToString("N")[20..30], run.Id.ToString(), run.Id.ToString("N"), run.Id.ToString()[..26] })
        {
            (await server.Client.FindRunsAsync(prefix, 10, default)).Select(r => r.Id).ShouldBe([run.Id], prefix);
        }

        (await server.Client.FindRunsAsync(run.Id.ToString("N")[..8], 10, default)).Count.ShouldBe(5, "runs created together share the start of their ids");
        (await server.Client.FindRunsAsync(run.Id.ToString("N")[..8], 2, default)).Count.ShouldBe(2);

        var bad = await server.Http.GetAsync("/api/flow-runs?id=zz-top");
        (await ProblemAsync(bad, HttpStatusCode.BadRequest)).Message.ShouldBe("'zz-top' is not a flow run id or the start of one: ids are hexadecimal digits (0-9, a-f), as weir flow-run ls shows them.");
    }
}
