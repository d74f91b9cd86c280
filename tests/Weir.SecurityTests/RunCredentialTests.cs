using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Weir.SecurityTests;

/// <summary>
/// Issue 16, points 1 to 4 and 7, replayed end to end: flows run by a real worker process see no key, read only the secrets
/// their deployment declares, print secrets only masked, and hold a token that dies with their run; a worker key writes only
/// its own runs and creates no pool; an entrypoint linked out of the checkout does not run.
/// </summary>
[Collection(SecuredCollection.Name)]
public sealed class RunCredentialTests(SecuredCluster cluster)
{
    [Fact]
    public async Task Flow_PrintingEveryEnvironmentVariable_ShowsNoKey_AndItsPullStepNeither()
    {
        var run = await cluster.RunAsync("environment");

        run.State.ShouldBe(StateType.Completed, run.StateMessage);
        var log = await cluster.LogTextAsync(run.Id);
        log.ShouldContain("env PATH=", customMessage: "the flow printed its environment");
        foreach (var name in new[] { "WEIR_API_KEY", "WEIR_WORKER_API_KEYS", "WEIR_SECRET_KEY", "WEIR_DATABASE_URL", "WEIR_RUN_TOKEN" })
        {
            log.ShouldNotContain($"env {name}=", customMessage: $"{name} reached the flow process");
        }

        foreach (var (what, value) in cluster.Secrets)
        {
            log.ShouldNotContain(value, customMessage: $"{what} is in the flow's output");
        }

        // Shell steps get the allow-list too, plus the run's token (never the worker's key).
        var environments = Directory.GetFiles(cluster.Steps, "env.*").Select(File.ReadAllText).ToList();
        environments.ShouldNotBeEmpty();
        foreach (var environment in environments)
        {
            environment.ShouldContain("WEIR_RUN_TOKEN=wrt1_");
            foreach (var name in new[] { "WEIR_API_KEY=", "WEIR_WORKER_API_KEYS=", "WEIR_SECRET_KEY=", "WEIR_DATABASE_URL=" })
            {
                environment.ShouldNotContain(name);
            }

            foreach (var (what, value) in cluster.Secrets.Where(s => s.Value != cluster.StepSecret))
            {
                environment.ShouldNotContain(value, customMessage: $"{what} is in a pull step's environment");
            }
        }
    }

    [Fact]
    public async Task Flow_PrintingASecret_LeavesOnlyStarsInTheDatabaseTheApiAndTheUiPage()
    {
        var run = await cluster.RunAsync("environment");

        run.State.ShouldBe(StateType.Completed, run.StateMessage);
        var log = await cluster.LogTextAsync(run.Id);
        log.ShouldContain("secret=********");
        log.ShouldContain("task got ********");
        log.ShouldContain("step=********", customMessage: "the pull step's echo of its block is masked too");
        var api = new System.Text.StringBuilder();
        foreach (var path in new[] { $"api/flow-runs/{run.Id}", $"api/flow-runs/{run.Id}/states", $"api/flow-runs/{run.Id}/task-runs", $"api/flow-runs/{run.Id}/logs?limit=10000" })
        {
            api.AppendLine(await cluster.Server.Http.GetStringAsync(path));
        }

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = cluster.Url };
        var session = await UiTests.LoginAsync(browser, SecuredCluster.AdminKey);
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, $"/runs/{run.Id}");
        pageRequest.Headers.Add("Cookie", "weir_session=" + session);
        using var pageResponse = await browser.SendAsync(pageRequest);
        pageResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await pageResponse.Content.ReadAsStringAsync();
        var live = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/runs/{run.Id}/live?after=0") { Headers = { { "Cookie", "weir_session=" + session } } });
        page += await live.Content.ReadAsStringAsync();
        page.ShouldContain("********");
        var database = await cluster.Server.DatabaseBytesAsync();
        foreach (var (place, text) in new[] { ("API", api.ToString()), ("UI page", page), ("database", database) })
        {
            text.ShouldNotContain(cluster.Declared, customMessage: $"the secret the flow printed is in the {place}");
            text.ShouldNotContain(cluster.StepSecret, customMessage: $"the secret the pull step printed is in the {place}");
        }

        api.ToString().ShouldContain("********");
    }

    [Fact]
    public async Task Flow_ReadingAnUndeclaredSecret_Gets403NamingItAndHowToDeclareIt()
    {
        var run = await cluster.RunAsync("undeclared");

        run.State.ShouldBe(StateType.Failed);
        var log = await cluster.LogTextAsync(run.Id);
        log.ShouldContain("refused: ");
        log.ShouldContain("may not read the secret block 'undeclared'");
        log.ShouldContain("blocks: [undeclared]");
        log.ShouldNotContain(cluster.Undeclared);
    }

    [Fact]
    public async Task RunToken_OfAFinishedRun_IsRefused()
    {
        var before = Directory.GetFiles(cluster.Steps, "token.*").ToHashSet();
        var run = await cluster.RunAsync("environment");
        run.State.ShouldBe(StateType.Completed, run.StateMessage);
        var token = File.ReadAllText(Directory.GetFiles(cluster.Steps, "token.*").Except(before).ShouldHaveSingleItem());
        token.ShouldStartWith("wrt1_");

        // The grace is 1 s on this server: past it, the token a pull step (or flow code) kept opens nothing.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var replay = new WeirClient(cluster.Url, token);
        (await Should.ThrowAsync<WeirApiException>(() => replay.GetRunAsync(run.Id, default))).Status.ShouldBe(401);
        (await Should.ThrowAsync<WeirApiException>(() => replay.GetBlockAsync("secret", "declared", reveal: true, default))).Status.ShouldBe(401);
        (await Should.ThrowAsync<WeirApiException>(() => replay.SetStateAsync(run.Id, new StateRequest(StateType.Running), default))).Status.ShouldBe(401);
    }

    [Fact]
    public async Task WorkerKey_CannotWriteAnotherWorkersRun_NorCreateAPool()
    {
        var run = await cluster.RunAsync("environment");
        run.ClaimedBy.ShouldBe("sec-worker");
        using var other = new WeirClient(cluster.Url, SecuredCluster.OtherWorkerKey);

        var state = await Should.ThrowAsync<WeirApiException>(() => other.SetStateAsync(run.Id, new StateRequest(StateType.Running), default));
        state.Status.ShouldBe(403);
        state.Message.ShouldContain("'other' did not claim flow run");
        var logs = await Should.ThrowAsync<WeirApiException>(() =>
            other.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, run.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", "forged")] }, default));
        logs.Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => other.CancelAsync(run.Id, default))).Status.ShouldBe(403);
        (await cluster.LogTextAsync(run.Id)).ShouldNotContain("forged");

        // Pools: neither a create, nor a claim or heart-beat in an unknown pool, makes one.
        (await Should.ThrowAsync<WeirApiException>(() => other.PutPoolAsync("made-by-a-worker", WorkPoolTypes.Process, null, default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => other.ClaimAsync("made-by-a-worker", new ClaimRequest("w", 0), default))).Status.ShouldBeOneOf(403, 404);
        await other.HeartbeatAsync(SecuredCluster.Pool, new HeartbeatRequest("forged-name", [run.Id]), default);
        (await cluster.Admin.GetPoolAsync("made-by-a-worker", default)).ShouldBeNull();
    }

    [Fact]
    public async Task Entrypoint_ThatIsASymlinkOutOfTheCheckout_IsRefused()
    {
        var run = await cluster.RunAsync("linked");

        run.State.ShouldNotBe(StateType.Completed);
        (run.StateMessage + "\n" + await cluster.LogTextAsync(run.Id)).ShouldContain("points outside the code the pull steps fetched");
        (await cluster.LogTextAsync(run.Id)).ShouldNotContain("woke after");
    }
}
