using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Weir.Client;

namespace Weir.Server.Tests;

/// <summary>Cross-site request forgery against the API: what a web page the user visits could make the browser send.</summary>
public abstract partial class DatabaseSuite
{
    private static HttpRequestMessage Post(string path, HttpContent? content = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    [Fact]
    public async Task Api_BodylessForeignPost_IsRefused_OnAServerWithoutAKey_WhileTheCliAndTheUiFormsStillWork()
    {
        await using var server = await StartAsync();
        await server.Client.DeployAsync(Deployment(), default);
        var run = await server.Client.CreateRunAsync("example", "nightly", null, default);
        using var page = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Server.Url }; // what a browser sends: no key, no custom header
        const string runs = "/api/deployments/example/nightly/runs";

        // <form method="post" action="http://127.0.0.1:4200/api/deployments/example/nightly/runs"> on another site.
        using (var form = Post(runs, new FormUrlEncodedContent([]), origin: "https://evil.example"))
        {
            var problem = await ProblemAsync(await page.SendAsync(form), HttpStatusCode.Forbidden);
            problem.Field.ShouldBe("origin");
            problem.Message.ShouldContain("came from a web page on another site (Origin https://evil.example)");
        }

        // A "simple" fetch with no body, a text body or a form body, whose Origin the attacker's page may hide (no-referrer).
        foreach (var content in new HttpContent?[] { null, new StringContent("{}", Encoding.UTF8, "text/plain"), new FormUrlEncodedContent([]), new MultipartFormDataContent() })
        {
            using var simple = Post(runs, content);
            var problem = await ProblemAsync(await page.SendAsync(simple), HttpStatusCode.Forbidden);
            problem.Field.ShouldBe(WeirClient.ClientHeader);
            problem.Message.ShouldBe("Refused: an API POST needs a JSON body (Content-Type: application/json) or the header 'X-Weir-Client' (any value), which web pages on other sites cannot send; the weir CLI and workers send it.");
        }

        using (var cancel = Post($"/api/flow-runs/{run.Id}/cancel"))
        {
            (await page.SendAsync(cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/deployments/example/nightly"))
        {
            (await page.SendAsync(delete)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        // A foreign Origin is refused whatever the request carries.
        using (var dressedUp = Post(runs, JsonContent.Create(new { parameters = new { } }), origin: "http://evil.example"))
        {
            dressedUp.Headers.Add(WeirClient.ClientHeader, "1");
            (await ProblemAsync(await page.SendAsync(dressedUp), HttpStatusCode.Forbidden)).Field.ShouldBe("origin");
        }

        (await server.Client.ListRunsAsync(100, default)).ShouldHaveSingleItem().State.ShouldBe(StateType.Scheduled);
        (await server.Client.ListDeploymentsAsync(default)).ShouldHaveSingleItem();

        // The CLI's client sends the header, so its body-less posts go through; so does JSON, and the header alone.
        (await server.Client.CancelAsync(run.Id, default)).State.ShouldBe(StateType.Cancelled);
        using (var json = Post(runs, JsonContent.Create(new { parameters = new { } })))
        {
            (await page.SendAsync(json)).IsSuccessStatusCode.ShouldBeTrue();
        }

        using (var headed = Post(runs))
        {
            headed.Headers.Add(WeirClient.ClientHeader, "my-script");
            (await page.SendAsync(headed)).IsSuccessStatusCode.ShouldBeTrue();
        }

        // The UI's own forms post to the UI (same origin), not to the API, and keep working.
        using (var uiForm = Post("/deployments/example/nightly/run", new FormUrlEncodedContent([new("param.limit", "2")]), origin: server.Server.Url.GetLeftPart(UriPartial.Authority)))
        {
            var answer = await page.SendAsync(uiForm);
            ((int)answer.StatusCode).ShouldBeInRange(300, 399);
            answer.Headers.Location!.ToString().ShouldStartWith("/runs/");
        }

        (await server.Client.ListRunsAsync(100, default)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task Api_WritesWithoutJsonOrTheClientHeader_AreRefused_EvenWithTheAdminKey()
    {
        await using var server = await StartAsync(apiKey: "admin-key");
        await server.Client.DeployAsync(Deployment(), default);
        var run = await server.Client.CreateRunAsync("example", "nightly", null, default);
        using var http = new HttpClient { BaseAddress = server.Server.Url };

        using (var anonymous = Post("/api/deployments/example/nightly/runs", new FormUrlEncodedContent([]), origin: "https://evil.example"))
        {
            (await ProblemAsync(await http.SendAsync(anonymous), HttpStatusCode.Forbidden)).Field.ShouldBe("origin");
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "admin-key");
        using (var bare = Post($"/api/flow-runs/{run.Id}/cancel"))
        {
            (await ProblemAsync(await http.SendAsync(bare), HttpStatusCode.Forbidden)).Field.ShouldBe(WeirClient.ClientHeader);
        }

        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Scheduled);
        using (var headed = Post($"/api/flow-runs/{run.Id}/cancel"))
        {
            headed.Headers.Add(WeirClient.ClientHeader, "curl");
            (await http.SendAsync(headed)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Reads need neither.
        (await http.GetAsync("/api/flow-runs")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
