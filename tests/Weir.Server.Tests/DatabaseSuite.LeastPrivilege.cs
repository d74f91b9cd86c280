using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Weir.Server.Services;

namespace Weir.Server.Tests;

/// <summary>
/// Issue 16, points 1 and 3: run tokens scoped to their run, worker keys bound to their pools and their runs, pools made
/// only by an admin. Each test replays a finding against a real server with keys.
/// </summary>
public abstract partial class DatabaseSuite
{
    private const string PrivilegeAdminKey = "admin-key-0123456789abcdef";
    private const string KeyA = "worker-a-key-0123456789";
    private const string KeyB = "worker-b-key-0123456789";

    private async Task<TestServer> StartKeyedAsync(TimeProvider? time = null, TimeSpan? runTokenGrace = null) =>
        await TestServer.StartAsync(new TestServerOptions
        {
            Postgres = await NewDatabaseAsync(), Time = time ?? TimeProvider.System, ApiKey = PrivilegeAdminKey,
            WorkerApiKeys = [$"a:{KeyA}@default,other", $"b:{KeyB}@default"], BackgroundServices = false, RunTokenGrace = runTokenGrace,
        });

    /// <summary>A deployment whose pull step refers to one block and whose blocks: list names another.</summary>
    private static DeploymentRequest DeploymentWithBlocks() => Deployment() with
    {
        PullSteps =
        [
            new JsonObject { ["set_working_directory"] = new JsonObject { ["directory"] = "/tmp" } },
            new JsonObject { ["run_shell_script"] = new JsonObject { ["script"] = "true", ["env"] = new JsonObject { ["T"] = "{{ weir.blocks.secret.step-token.value }}" } } },
        ],
        Blocks = ["api-token", "aws-credentials/prod"],
    };

    private static HttpClient Bearer(TestServer server, string credential)
    {
        var http = new HttpClient { BaseAddress = server.Server.Url };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        http.DefaultRequestHeaders.Add(WeirClient.ClientHeader, "test");
        return http;
    }

    [Fact]
    public async Task RunToken_MayReportItsRun_ReadVariablesAndDeclaredBlocks_AndNothingElse()
    {
        await using var server = await StartKeyedAsync();
        await server.Client.PutBlockAsync("secret", "step-token", new JsonObject { ["value"] = "from-the-step" }, default);
        await server.Client.PutBlockAsync("secret", "api-token", new JsonObject { ["value"] = "from-the-list" }, default);
        await server.Client.PutBlockAsync("secret", "undeclared", new JsonObject { ["value"] = "nobody's" }, default);
        await server.Client.PutBlockAsync("aws-credentials", "prod", new JsonObject { ["aws_access_key_id"] = "AKIA", ["aws_secret_access_key"] = "shh" }, default);
        await server.Client.PutVariableAsync("region", "eu-central-1", default);
        var deployment = (await server.Client.DeployAsync(DeploymentWithBlocks(), default)).Deployment;
        deployment.Blocks.ShouldBe(["secret/api-token", "aws-credentials/prod"]);
        var run = await server.Client.CreateRunAsync("example", "nightly", null, default);
        var other = await server.Client.CreateRunAsync("example", "nightly", null, default);

        using var worker = new WeirClient(server.Server.Url, KeyA);
        var claims = await worker.ClaimAsync("default", new ClaimRequest("w1", 0, Max: 2), default);
        claims.Count.ShouldBe(2);
        claims.ShouldAllBe(c => c.Attempt == 1 && c.RunToken!.StartsWith("wrt1_"));
        claims.Select(c => c.RunToken).Distinct().Count().ShouldBe(2, "each run has a token of its own");
        var token = claims.Single(c => c.FlowRunId == run.Id).RunToken!;
        using var flow = new WeirClient(server.Server.Url, token);

        // What it may do: its run, its deployment, variables, the blocks its steps and its blocks: list declare.
        (await flow.GetRunAsync(run.Id, default))!.Id.ShouldBe(run.Id);
        (await flow.GetDeploymentAsync("example", "nightly", default))!.Id.ShouldBe(deployment.Id);
        (await flow.GetVariableAsync("region", default))!.Value.ShouldBe("eu-central-1");
        (await flow.ListVariablesAsync(default)).ShouldHaveSingleItem();
        (await flow.GetBlockAsync("secret", "step-token", reveal: true, default))!.Fields["value"]!.GetValue<string>().ShouldBe("from-the-step");
        (await flow.GetBlockAsync("secret", "api-token", reveal: true, default))!.Fields["value"]!.GetValue<string>().ShouldBe("from-the-list");
        (await flow.GetBlockAsync("aws-credentials", "prod", reveal: true, default))!.Fields["aws_secret_access_key"]!.GetValue<string>().ShouldBe("shh");
        await flow.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        await flow.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, run.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "hello")] }, default);
        (await flow.HeartbeatRunAsync(run.Id, default)).ShouldBeFalse();

        // What it may not: an undeclared block (403 naming it and how to declare it), another run, anything else.
        var undeclared = await Should.ThrowAsync<WeirApiException>(() => flow.GetBlockAsync("secret", "undeclared", reveal: true, default));
        undeclared.Status.ShouldBe(403);
        undeclared.Message.ShouldContain("secret block 'undeclared'");
        undeclared.Message.ShouldContain("blocks: [undeclared]");
        undeclared.Message.ShouldContain("example/nightly");
        (await Should.ThrowAsync<WeirApiException>(() => flow.GetBlockAsync("secret", "missing-and-undeclared", reveal: false, default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => flow.SetStateAsync(other.Id, new StateRequest(StateType.Running), default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => flow.GetRunAsync(other.Id, default))).Status.ShouldBe(403);
        var foreign = await Should.ThrowAsync<WeirApiException>(() =>
            flow.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, run.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "mine"), new LogDto(0, other.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "not mine")] }, default));
        foreign.Status.ShouldBe(403);
        foreign.Message.ShouldContain("Nothing in the batch was saved");
        (await server.Client.LogsAsync(run.Id, 0, 100, default)).Select(l => l.Message).ShouldBe(["hello"]);
        (await Should.ThrowAsync<WeirApiException>(() => flow.HeartbeatRunAsync(other.Id, default))).Status.ShouldBe(403);
        foreach (var path in new[] { "/api/blocks", "/api/flow-runs", "/api/deployments", "/api/work-pools", $"/api/flow-runs/{other.Id}/logs" })
        {
            using var http = Bearer(server, token);
            (await ProblemAsync(await http.GetAsync(path), HttpStatusCode.Forbidden)).Message.ShouldContain("A run token may not GET");
        }

        (await Should.ThrowAsync<WeirApiException>(() => flow.ClaimAsync("default", new ClaimRequest("w1", 0), default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => flow.PutVariableAsync("region", "x", default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => flow.CancelAsync(other.Id, default))).Status.ShouldBe(403);

        // A token this server did not sign, or one changed by a byte, is nobody's.
        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        using var forger = new WeirClient(server.Server.Url, forged);
        (await Should.ThrowAsync<WeirApiException>(() => forger.GetRunAsync(run.Id, default))).Status.ShouldBe(401);
    }

    [Fact]
    public async Task RunToken_IsRefusedOnceItsRunEnded_AfterTheGrace_AndByALaterAttempt()
    {
        var time = FakeTime();
        await using var server = await StartKeyedAsync(time, runTokenGrace: TimeSpan.FromSeconds(10));
        await server.Client.DeployAsync(Deployment(retries: 1), default);
        var run = await server.Client.CreateRunAsync("example", "nightly", null, default);
        using var worker = new WeirClient(server.Server.Url, KeyA);
        var first = (await worker.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem();
        using var firstFlow = new WeirClient(server.Server.Url, first.RunToken);
        await firstFlow.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);

        // The first attempt crashes and is re-scheduled: its token no longer holds, nor after the run is claimed again.
        await worker.SetStateAsync(run.Id, new StateRequest(StateType.Crashed, "boom"), default);
        var waiting = await Should.ThrowAsync<WeirApiException>(() => firstFlow.GetRunAsync(run.Id, default));
        waiting.Status.ShouldBe(401);
        waiting.Message.ShouldContain("waits to be claimed again");
        var second = (await worker.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem();
        second.Attempt.ShouldBe(2);
        var stale = await Should.ThrowAsync<WeirApiException>(() => firstFlow.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, run.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "late")] }, default));
        stale.Status.ShouldBe(401);
        stale.Message.ShouldContain("attempt 1");

        // The second attempt's token holds through the run and for the grace after its end, then no more.
        using var secondFlow = new WeirClient(server.Server.Url, second.RunToken);
        await secondFlow.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        await secondFlow.SetStateAsync(run.Id, new StateRequest(StateType.Completed), default);
        time.Advance(TimeSpan.FromSeconds(5));
        await secondFlow.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, run.Id, null, time.GetUtcNow(), "INFO", "stdout", "last line")] }, default);
        time.Advance(TimeSpan.FromSeconds(6));
        var ended = await Should.ThrowAsync<WeirApiException>(() => secondFlow.GetRunAsync(run.Id, default));
        ended.Status.ShouldBe(401);
        ended.Message.ShouldContain("ended Completed");
        (await Should.ThrowAsync<WeirApiException>(() => secondFlow.GetVariableAsync("anything", default))).Status.ShouldBe(401);
    }

    [Fact]
    public async Task WorkerKey_ServesOnlyItsPools_ReportsOnlyItsRuns_AndCreatesNoPool()
    {
        await using var server = await StartKeyedAsync();
        await server.Client.DeployAsync(Deployment(), default);
        await server.Client.DeployAsync(Deployment(name: "elsewhere", pool: "third"), default);
        await server.Client.PutBlockAsync("secret", "step-token", new JsonObject { ["value"] = "x" }, default);
        var ofA = await server.Client.CreateRunAsync("example", "nightly", null, default);
        using var a = new WeirClient(server.Server.Url, KeyA);
        using var b = new WeirClient(server.Server.Url, KeyB);
        (await a.ClaimAsync("default", new ClaimRequest("host-1", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(ofA.Id);
        var ofB = await server.Client.CreateRunAsync("example", "nightly", null, default);
        (await b.ClaimAsync("default", new ClaimRequest("host-2", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(ofB.Id);
        (await server.Client.GetRunAsync(ofA.Id, default))!.ClaimedBy.ShouldBe("a");

        // Another worker's run: no state, no events, no cancellation news in its heart-beats.
        var state = await Should.ThrowAsync<WeirApiException>(() => b.SetStateAsync(ofA.Id, new StateRequest(StateType.Failed, "not yours"), default));
        state.Status.ShouldBe(403);
        state.Message.ShouldContain("Worker key 'b' did not claim flow run");
        (await Should.ThrowAsync<WeirApiException>(() => b.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, ofA.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "x")] }, default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => b.HeartbeatRunAsync(ofA.Id, default))).Status.ShouldBe(403);
        (await server.Client.GetRunAsync(ofA.Id, default))!.State.ShouldBe(StateType.Pending);
        await server.Client.CancelAsync(ofA.Id, default);
        (await b.HeartbeatAsync("default", new HeartbeatRequest("host-1", [ofA.Id]), default)).Cancel.ShouldBeEmpty("b does not hold a's run, even under a's worker name");
        (await a.HeartbeatAsync("default", new HeartbeatRequest("host-1", [ofA.Id]), default)).Cancel.ShouldBe([ofA.Id]);
        await a.SetStateAsync(ofA.Id, new StateRequest(StateType.Cancelled, "stopped as asked"), default);

        // Its pools only; and a pool that does not exist is an error naming the command that makes it.
        var notServed = await Should.ThrowAsync<WeirApiException>(() => b.ClaimAsync("other", new ClaimRequest("host-2", 0), default));
        notServed.Status.ShouldBe(403);
        notServed.Message.ShouldContain("Worker key 'b' serves 'default', not the work pool 'other'");
        (await Should.ThrowAsync<WeirApiException>(() => a.ClaimAsync("third", new ClaimRequest("host-1", 0), default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => a.HeartbeatAsync("third", new HeartbeatRequest("host-1", []), default))).Status.ShouldBe(403);
        var unknown = await Should.ThrowAsync<WeirApiException>(() => a.ClaimAsync("other", new ClaimRequest("host-1", 0), default));
        unknown.Status.ShouldBe(404);
        unknown.Message.ShouldContain("weir work-pool create other");
        (await a.HeartbeatAsync("other", new HeartbeatRequest("host-1", []), default)).Cancel.ShouldBeEmpty();
        (await Should.ThrowAsync<WeirApiException>(() => a.PutPoolAsync("mine", "process", null, default))).Status.ShouldBe(403);
        (await server.Client.ListPoolsAsync(default)).Select(p => p.Name).Order().ToList().ShouldBe(new List<string> { "default", "third" }, "neither a claim nor a heart-beat made a pool");

        // Secrets: a worker key reveals only what the deployments of the runs it holds declare.
        var reveal = await Should.ThrowAsync<WeirApiException>(() => a.GetBlockAsync("secret", "step-token", reveal: true, default));
        reveal.Status.ShouldBe(403);
        reveal.Message.ShouldContain("may not reveal the secret block 'step-token'");
        (await a.GetBlockAsync("secret", "step-token", reveal: false, default))!.Fields["value"]!.GetValue<string>().ShouldBe("********");
    }

    [Fact]
    public async Task WorkerKey_HeartBeatsUnderAnotherKeysWorkerName_DoNotKeepItsRunsAlive_ButTheRunsOwnTokenDoes()
    {
        var time = FakeTime();
        await using var server = await StartKeyedAsync(time);
        await server.Client.DeployAsync(Deployment(), default);
        var detector = server.Server.Services.GetRequiredService<CrashDetector>();
        var watched = await server.Client.CreateRunAsync("example", "nightly", null, default);
        using var a = new WeirClient(server.Server.Url, KeyA);
        using var b = new WeirClient(server.Server.Url, KeyB);
        var claim = (await a.ClaimAsync("default", new ClaimRequest("host-1", 0), default)).ShouldHaveSingleItem();
        var orphan = await server.Client.CreateRunAsync("example", "nightly", null, default);
        var orphanClaim = (await a.ClaimAsync("default", new ClaimRequest("host-1", 0), default)).ShouldHaveSingleItem();
        using var orphanFlow = new WeirClient(server.Server.Url, orphanClaim.RunToken);
        await orphanFlow.SetStateAsync(orphan.Id, new StateRequest(StateType.Running), default);

        // Worker host-1 of key a goes silent; key b heart-beats as "host-1", and the orphaned flow heart-beats its own run.
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(15));
            await b.HeartbeatAsync("default", new HeartbeatRequest("host-1", [claim.FlowRunId, orphan.Id]), default);
            await orphanFlow.HeartbeatRunAsync(orphan.Id, default);
        }

        await detector.RunOnceAsync(default);
        (await server.Client.GetRunAsync(watched.Id, default))!.State.ShouldBe(StateType.Crashed, "another key's heart-beats under the same worker name keep nothing alive");
        (await server.Client.GetRunAsync(orphan.Id, default))!.State.ShouldBe(StateType.Running, "its own token's heart-beats keep an orphaned run alive");
        time.Advance(TimeSpan.FromSeconds(40));
        await detector.RunOnceAsync(default);
        (await server.Client.GetRunAsync(orphan.Id, default))!.State.ShouldBe(StateType.Crashed, "once its flow process is silent too, it crashed");
    }

    [Fact]
    public async Task RunToken_OnAServerWithoutKeys_IsStillScopedToItsRun()
    {
        await using var server = await StartAsync();
        await server.Client.DeployAsync(Deployment(), default);
        await server.Client.PutBlockAsync("secret", "undeclared", new JsonObject { ["value"] = "x" }, default);
        await server.Client.CreateRunAsync("example", "nightly", null, default);
        var claim = (await server.Client.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem();
        using var flow = new WeirClient(server.Server.Url, claim.RunToken);
        (await flow.GetRunAsync(claim.FlowRunId, default)).ShouldNotBeNull();
        (await Should.ThrowAsync<WeirApiException>(() => flow.GetBlockAsync("secret", "undeclared", reveal: true, default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => flow.ListBlocksAsync(default))).Status.ShouldBe(403);
    }

    [Theory]
    [InlineData("bare-key-of-the-old-format", "Entry 1 of WEIR_WORKER_API_KEYS is not NAME:KEY@POOL")]
    [InlineData("w:short@default", "is 5 characters long; use at least 16")]
    [InlineData("w:a-long-enough-key-01234@", "is not NAME:KEY@POOL")]
    [InlineData("bad name:a-long-enough-key-01234@default", "names its worker 'bad name'")]
    [InlineData("w:a-long-enough-key-01234@default;w:another-long-key-01234@default", "names the worker 'w' 2 times")]
    public async Task WorkerKeys_Malformed_StopTheServerWithASentence_ThatHoldsNoKey(string entries, string expected)
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync(apiKey: PrivilegeAdminKey, workerKeys: entries.Split(';')));
        error.Message.ShouldContain(expected);
        error.Message.ShouldNotContain("long-enough-key");
        error.Message.ShouldNotContain("bare-key");
    }

    [Fact]
    public async Task Deployment_Blocks_AreCheckedAndKeptAsTypeSlashName()
    {
        await using var server = await StartAsync();
        var refused = await server.Http.PutAsJsonAsync("/api/deployments", Deployment() with { Blocks = ["no-such-type/x"] }, ApiJson.Options);
        (await ProblemAsync(refused, HttpStatusCode.BadRequest)).Field.ShouldBe("blocks[0]");
        var malformed = await server.Http.PutAsJsonAsync("/api/deployments", Deployment() with { Blocks = ["a/b/c"] }, ApiJson.Options);
        (await ProblemAsync(malformed, HttpStatusCode.BadRequest)).Message.ShouldContain("TYPE/NAME");
        var saved = (await server.Client.DeployAsync(Deployment() with { Blocks = ["token", "secret/token", "gcp-credentials/ci"] }, default)).Deployment;
        saved.Blocks.ShouldBe(["secret/token", "gcp-credentials/ci"]);
        BlockReference.DeclaredBy(saved).ShouldBe([new BlockReference("secret", "token"), new BlockReference("gcp-credentials", "ci")], ignoreOrder: true);
    }
}
