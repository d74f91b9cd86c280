using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task Secret_IsNeverInTheDatabaseBytes_TheServerLog_OrAnyListResponse()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var token = "ghp_" + Guid.NewGuid().ToString("N");
        await using var server = await StartAsync();
        await server.Client.PutBlockAsync("secret", "deployment-nightly-example-repo-token", new JsonObject { ["value"] = secret }, default);
        await server.Client.PutBlockAsync("github-credentials", "gh", new JsonObject { ["token"] = token, ["username"] = "octocat" }, default);
        await server.Client.PutVariableAsync("plain", "not a secret", default);
        await NewRunAsync(server);
        // A malformed and a refused request carrying the secret: neither answer nor log may echo it.
        var malformed = await server.Http.PutAsync("/api/blocks/secret/broken", new StringContent($"{{\"fields\": {{\"value\": \"{secret}", Encoding.UTF8, "application/json"));
        (await malformed.Content.ReadAsStringAsync()).ShouldNotContain(secret);
        var refused = await server.Http.PutAsJsonAsync("/api/blocks/secret/refused", new { fields = new { value = secret, extra = secret } });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain(secret);

        var masked = await server.Client.GetBlockAsync("secret", "deployment-nightly-example-repo-token", reveal: false, default);
        masked!.Fields["value"]!.GetValue<string>().ShouldBe("********");
        masked.SecretFields.ShouldBe(["value"]);
        var gh = await server.Client.GetBlockAsync("github-credentials", "gh", reveal: false, default);
        gh!.Fields["username"]!.GetValue<string>().ShouldBe("octocat");
        gh.Fields["token"]!.GetValue<string>().ShouldBe("********");

        foreach (var path in new[] { "/api/blocks", "/api/blocks?type=secret", "/api/blocks/secret/deployment-nightly-example-repo-token", "/api/blocks/github-credentials/gh",
                     "/api/variables", "/api/deployments", "/api/flow-runs", "/api/work-pools", "/api/block-types", "/api/flows" })
        {
            var body = await server.Http.GetStringAsync(path);
            body.ShouldNotContain(secret, customMessage: path);
            body.ShouldNotContain(token, customMessage: path);
        }

        var database = await server.DatabaseBytesAsync();
        database.ShouldContain("octocat"); // the dump does hold plain fields: the search is real
        database.ShouldNotContain(secret);
        database.ShouldNotContain(token);
        server.Log.Text.ShouldNotContain(secret);
        server.Log.Text.ShouldNotContain(token);

        var revealed = await server.Client.GetBlockAsync("secret", "deployment-nightly-example-repo-token", reveal: true, default);
        revealed!.Fields["value"]!.GetValue<string>().ShouldBe(secret);
    }

    [Fact]
    public async Task Secret_AfterARestartWithTheSameKey_StillDecrypts()
    {
        var home = Path.Combine(Path.GetTempPath(), "weir-server-tests", Guid.NewGuid().ToString("N"));
        var database = await NewDatabaseAsync();
        // No secret key given: the server makes its own key file in its home, which the restart finds there.
        var options = new TestServerOptions { Postgres = database, Home = home, SecretKey = null, BackgroundServices = false };
        await using (var first = await TestServer.StartAsync(options))
        {
            await first.Client.PutBlockAsync("aws-credentials", "creds", new JsonObject { ["aws_access_key_id"] = "AKIA1", ["aws_secret_access_key"] = "shh", ["region_name"] = "eu-central-1" }, default);
            var keyFile = Path.Combine(home, "secret.key");
            File.Exists(keyFile).ShouldBeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(keyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        Directory.CreateDirectory(home);
        await using var second = await TestServer.StartAsync(options);
        var block = await second.Client.GetBlockAsync("aws-credentials", "creds", reveal: true, default);
        block!.Fields["aws_secret_access_key"]!.GetValue<string>().ShouldBe("shh");
        block.Fields["region_name"]!.GetValue<string>().ShouldBe("eu-central-1");
    }

    [Fact]
    public async Task Auth_AdminAndWorkerKeys_DecideWhatACallerMayDo()
    {
        // A worker key is bound to its pools (issue 16), and reveals only the blocks its runs' deployments declare.
        await using var server = await StartAsync(apiKey: "admin-key", workerKeys: ["w1:worker-key-0123456789@default"]);
        await server.Client.PutBlockAsync("secret", "token", new JsonObject { ["value"] = "abc" }, default);
        await server.Client.DeployAsync(Deployment() with { Blocks = ["token"] }, default);
        await server.Client.CreateRunAsync("example", "nightly", null, default);

        using var anonymous = new HttpClient { BaseAddress = server.Server.Url };
        (await ProblemAsync(await anonymous.GetAsync("/api/blocks"), HttpStatusCode.Unauthorized)).Field.ShouldBe("authorization");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        (await anonymous.GetAsync("/api/deployments")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var worker = new WeirClient(server.Server.Url, "worker-key-0123456789");
        var claim = (await worker.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem();
        (await worker.GetBlockAsync("secret", "token", reveal: true, default))!.Fields["value"]!.GetValue<string>().ShouldBe("abc");
        (await worker.GetBlockAsync("secret", "token", reveal: false, default))!.Fields["value"]!.GetValue<string>().ShouldBe("********");
        await worker.SetStateAsync(claim.FlowRunId, new StateRequest(StateType.Running), default);
        await worker.SendEventsAsync(new EventBatch { Logs = [new LogDto(0, claim.FlowRunId, null, DateTimeOffset.UtcNow, "INFO", "stdout", "hi")] }, default);
        var forbidden = await Should.ThrowAsync<WeirApiException>(() => worker.PutBlockAsync("secret", "mine", new JsonObject { ["value"] = "x" }, default));
        forbidden.Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => worker.CancelAsync(claim.FlowRunId, default))).Status.ShouldBe(403);
        (await Should.ThrowAsync<WeirApiException>(() => worker.DeployAsync(Deployment(), default))).Status.ShouldBe(403);
    }

    [Fact]
    public async Task Auth_WithoutAKey_TheApiAnswersOnlyToLoopbackHostNames()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.Server.Url };

        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        rebound.Headers.Host = "attacker.example";
        (await ProblemAsync(await http.SendAsync(rebound), HttpStatusCode.Forbidden)).Field.ShouldBe("host");

        foreach (var host in new[] { "localhost:" + server.Server.Url.Port, "127.0.0.1:" + server.Server.Url.Port })
        {
            using var local = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
            local.Headers.Host = host;
            (await http.SendAsync(local)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
