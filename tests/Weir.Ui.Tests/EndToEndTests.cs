using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Weir.Server.Storage;
using static Microsoft.Playwright.Assertions;

namespace Weir.Ui.Tests;

/// <summary>The web UI in a real browser against a real server and worker: what a person does to run a flow and watch it.</summary>
[Collection(UiCollection.Name)]
public sealed partial class EndToEndTests(UiFixture fixture)
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Dashboard_RunFromTheFormWithAParameter_ReachesCompletedWithLogsAndCommit()
    {
        await fixture.WaitForWorkerAsync();
        var page = await fixture.Browser.NewPageAsync();
        try
        {
            await page.GotoAsync(fixture.Server.Url.ToString());
            await Expect(page).ToHaveTitleAsync("Dashboard · Weir");
            await Expect(page.Locator("section", new() { HasText = "Workers online" }).Locator("table")).ToContainTextAsync("ui-worker");
            await Screenshot(page, "01-dashboard");

            await page.GetByRole(AriaRole.Link, new() { Name = "Deployments", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = UiFixture.Deployment }).ClickAsync();
            await Expect(page).ToHaveTitleAsync($"Deployment {UiFixture.Deployment} · Weir");
            await Expect(page.Locator(".step a.ref")).ToHaveTextAsync("{{ weir.blocks.secret.ui-repo-token }}");
            await Expect(page.Locator("ol.tasks")).ToContainTextAsync("GetData");
            await page.GetByLabel("limit").FillAsync("4");
            await page.GetByLabel("greeting").FillAsync("hi from the form");
            await Screenshot(page, "02-deployment-run-form");

            await page.GetByRole(AriaRole.Button, new() { Name = $"Run {UiFixture.Deployment}" }).ClickAsync();
            await page.WaitForURLAsync(RunPage());
            // The page follows the run by itself (no reload): its state badge turns Completed.
            await Expect(page.Locator("#run-details .run-head .state")).ToHaveTextAsync("Completed", new() { Timeout = (float)s_runTimeout.TotalMilliseconds });
            await Expect(page.Locator("#logs")).ToContainTextAsync("ui-test data: 1, 2, 3, 4");
            await Expect(page.Locator("#logs .log", new() { HasText = "ui-test data" }).Locator(".src")).ToHaveTextAsync("Task run 'PrintData-0'");
            await Expect(page.Locator("#logs")).ToContainTextAsync("greeting: hi from the form");
            await Expect(page.Locator("[data-param=limit]")).ToHaveTextAsync("limit = 4");
            await Expect(page.Locator("#run-code .commit")).ToHaveTextAsync(fixture.Commit);
            await Expect(page.Locator(".timeline .lane[data-task]")).ToHaveCountAsync(2);
            await Expect(page.Locator(".history")).ToContainTextAsync("Running");
            await Screenshot(page, "03-run-completed");

            var id = Guid.Parse(RunPage().Match(page.Url).Groups[1].Value);
            var run = (await fixture.Server.Store.GetRunAsync(id, CancellationToken.None)).ShouldNotBeNull();
            run.State.ShouldBe(StateType.Completed, fixture.WorkerLog);
            run.Commit.ShouldBe(fixture.Commit);
            run.Parameters["limit"]!.GetValue<int>().ShouldBe(4);

            await page.GetByRole(AriaRole.Link, new() { Name = "Flow runs", Exact = true }).ClickAsync();
            await page.Locator("select[name=state]").SelectOptionAsync("Completed");
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            await Expect(page.Locator("table.runs")).ToContainTextAsync(Client.FlowRunDto.ShortIdOf(id));
            await Screenshot(page, "04-runs-filtered");

            foreach (var (path, name) in new[] { ("/flows", "05-flows"), ("/work-pools", "06-work-pools"), ("/blocks", "07-blocks"), ("/variables", "08-variables") })
            {
                await page.GotoAsync(new Uri(fixture.Server.Url, path).ToString());
                await Screenshot(page, name);
            }
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task ListPages_RunStartedElsewhere_AppearsAndTurnsCompletedWithoutAReload()
    {
        await fixture.WaitForWorkerAsync();
        var runs = await fixture.Browser.NewPageAsync();
        var dashboard = await fixture.Browser.NewPageAsync();
        try
        {
            await runs.GotoAsync(new Uri(fixture.Server.Url, "/runs").ToString());
            await dashboard.GotoAsync(fixture.Server.Url.ToString());
            // Marks the documents: a reload would lose the mark, a refreshed region keeps it.
            foreach (var page in new[] { runs, dashboard })
            {
                await page.EvaluateAsync("() => { window.weirNotReloaded = true; }");
            }

            using var client = new Client.WeirClient(fixture.Server.Url);
            var flow = UiFixture.Deployment.Split('/');
            var run = await client.CreateRunAsync(flow[0], flow[1], new System.Text.Json.Nodes.JsonObject { ["limit"] = 2 }, CancellationToken.None);
            var shortId = run.ShortId;

            var timeout = new LocatorAssertionsToContainTextOptions { Timeout = (float)s_runTimeout.TotalMilliseconds };
            await Expect(runs.Locator("#runs-list table.runs tr", new() { HasText = shortId })).ToContainTextAsync("Completed", timeout);
            await Expect(dashboard.Locator("#dashboard table.runs tr", new() { HasText = shortId })).ToContainTextAsync("Completed", timeout);
            foreach (var page in new[] { runs, dashboard })
            {
                (await page.EvaluateAsync<bool>("() => window.weirNotReloaded === true")).ShouldBeTrue("the list refreshed in place, without reloading the page");
            }

            await Screenshot(runs, "10-runs-refreshed");
        }
        finally
        {
            await runs.CloseAsync();
            await dashboard.CloseAsync();
        }
    }

    [Fact]
    public async Task DeploymentsList_RunButtonRunsWithTheDefaults_AndTheDashboardCardsKeepTheirFilters()
    {
        await fixture.WaitForWorkerAsync();
        var page = await fixture.Browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(fixture.Server.Url, "/deployments").ToString());
            var row = page.Locator($"tr[data-deployment='{UiFixture.Deployment}']");
            await Expect(row.Locator(".storage")).ToHaveTextAsync("git");
            await Screenshot(page, "11-deployments");
            await row.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(RunPage());
            await Expect(page.Locator("#run-details .run-head .state")).ToHaveTextAsync("Completed", new() { Timeout = (float)s_runTimeout.TotalMilliseconds });
            // limit comes from the deployment; greeting was set nowhere, so the flow's default applied, and the page says so.
            await Expect(page.Locator("[data-param=limit]")).ToHaveTextAsync("limit = 3");
            await Expect(page.Locator("[data-param=greeting]")).ToHaveTextAsync("greeting = \"hello\" (default)");
            var shortId = Client.FlowRunDto.ShortIdOf(Guid.Parse(RunPage().Match(page.Url).Groups[1].Value));

            await page.GotoAsync(new Uri(fixture.Server.Url, "/deployments").ToString());
            await Expect(row.Locator(".last-run")).ToContainTextAsync("Completed");
            await Expect(row.Locator(".last-run")).ToContainTextAsync(shortId);

            await page.GotoAsync(fixture.Server.Url.ToString());
            await page.Locator("a.card", new() { HasText = "Completed" }).ClickAsync();
            await Expect(page.Locator("select[name=state]")).ToHaveValueAsync("Completed");
            await Expect(page.Locator("select[name=since]")).ToHaveValueAsync("24h");
            await Expect(page.Locator("table.runs tr", new() { HasText = shortId }).Locator("td.duration")).ToHaveTextAsync(DurationText());
            await Screenshot(page, "12-runs-from-card");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task EveryPage_NeverContainsASecretBlocksValue()
    {
        // At least one finished run, so run pages and their live view are part of the crawl.
        var deployment = (await fixture.Server.Store.GetDeploymentAsync("ui-example", "ui", CancellationToken.None)).ShouldNotBeNull();
        var created = (await fixture.Server.Store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, CancellationToken.None)).ShouldNotBeNull();
        await WaitUntilEndedAsync(created.Id);

        var runs = await fixture.Server.Store.ListRunsAsync(new FlowRunFilter { Limit = 100 }, CancellationToken.None);
        var paths = new List<string>
        {
            "/", "/flows", "/deployments", "/deployments/" + UiFixture.Deployment, "/runs", "/runs?state=Completed&since=24h", "/work-pools", "/blocks", "/variables",
        };
        paths.AddRange(runs.SelectMany(r => new[] { $"/runs/{r.Id}", $"/runs/{r.Id}/live" }));

        var page = await fixture.Browser.NewPageAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = fixture.Server.Url };
            foreach (var path in paths)
            {
                var raw = await http.GetStringAsync(path);
                raw.ShouldNotContain(UiFixture.SecretValue, customMessage: path);
                if (!path.EndsWith("/live", StringComparison.Ordinal))
                {
                    await page.GotoAsync(new Uri(fixture.Server.Url, path).ToString());
                    (await page.ContentAsync()).ShouldNotContain(UiFixture.SecretValue, customMessage: path);
                }
            }

            await page.GotoAsync(new Uri(fixture.Server.Url, "/blocks").ToString());
            var row = page.Locator("tr", new() { HasText = "ui-repo-token" }).First;
            await Expect(row).ToContainTextAsync("secret (hidden)");
            await Expect(row).ToContainTextAsync("{{ weir.blocks.secret.ui-repo-token }}");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task WithAnApiKey_PagesAskForIt_AndTheLoginCookieOpensTheUiButNotTheApi()
    {
        var server = fixture.KeyedServer.Url;
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server })
        {
            var response = await anonymous.GetAsync("/runs?state=Failed");
            ((int)response.StatusCode).ShouldBe(302);
            response.Headers.Location!.ToString().ShouldBe("/login?return=%2Fruns%3Fstate%3DFailed");
            ((int)(await anonymous.GetAsync("/ui/weir.css")).StatusCode).ShouldBe(200);
        }

        var context = await fixture.Browser.Browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(server, "/work-pools").ToString());
            await Expect(page).ToHaveTitleAsync("Log in · Weir");
            await page.GetByLabel("API key").FillAsync("not-the-key");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await Expect(page.Locator(".error")).ToContainTextAsync("not this server's API key");
            await Screenshot(page, "09-login-refused");

            await page.GetByLabel("API key").FillAsync(UiFixture.AdminKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await Expect(page).ToHaveTitleAsync("Work pools · Weir");
            var cookie = (await context.CookiesAsync()).Single(c => c.Name == "weir_session");
            cookie.HttpOnly.ShouldBeTrue();
            cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);
            cookie.Value.ShouldNotContain(UiFixture.AdminKey);

            // The cookie is for the pages; the API still wants the key itself.
            using var withCookie = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server };
            withCookie.DefaultRequestHeaders.Add("Cookie", $"weir_session={cookie.Value}");
            ((int)(await withCookie.GetAsync("/api/flow-runs")).StatusCode).ShouldBe(401);
            ((int)(await withCookie.GetAsync("/variables")).StatusCode).ShouldBe(200);

            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await Expect(page).ToHaveTitleAsync("Log in · Weir");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task WithoutAnApiKey_TheUiAnswersOnLoopbackOnly_AndRefusesFormsPostedFromAnotherSite()
    {
        fixture.Server.Url.Host.ShouldBe("127.0.0.1");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Server.Url };
        var before = (await fixture.Server.Store.ListRunsAsync(new FlowRunFilter { Deployment = UiFixture.Deployment, Limit = 1000 }, CancellationToken.None)).Count;

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/deployments/{UiFixture.Deployment}/run") { Content = new FormUrlEncodedContent([new("param.limit", "1")]) };
        forged.Headers.Add("Origin", "http://attacker.example");
        ((int)(await http.SendAsync(forged)).StatusCode).ShouldBe(403);

        using var invalid = new HttpRequestMessage(HttpMethod.Post, $"/deployments/{UiFixture.Deployment}/run") { Content = new FormUrlEncodedContent([new("param.limit", "many")]) };
        invalid.Headers.Add("Origin", fixture.Server.Url.GetLeftPart(UriPartial.Authority));
        var refused = await http.SendAsync(invalid);
        ((int)refused.StatusCode).ShouldBe(422);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Parameter &#x27;limit&#x27; is a number (int); &#x27;many&#x27; is not one.");

        (await fixture.Server.Store.ListRunsAsync(new FlowRunFilter { Deployment = UiFixture.Deployment, Limit = 1000 }, CancellationToken.None)).Count.ShouldBe(before);
        ((int)(await http.GetAsync("/runs/" + Guid.NewGuid())).StatusCode).ShouldBe(404);

        // A page asked for under another host name (DNS rebinding from some web site) is refused on a server without a key.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/variables");
        rebound.Headers.Host = "attacker.example";
        ((int)(await http.SendAsync(rebound)).StatusCode).ShouldBe(403);
        using var localhost = new HttpRequestMessage(HttpMethod.Get, "/variables");
        localhost.Headers.Host = "localhost:" + fixture.Server.Url.Port;
        ((int)(await http.SendAsync(localhost)).StatusCode).ShouldBe(200);
    }

    private async Task WaitUntilEndedAsync(Guid id)
    {
        var deadline = DateTime.UtcNow + s_runTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await fixture.Server.Store.GetRunAsync(id, CancellationToken.None))?.State.IsTerminal() == true)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Flow run {id} did not end: {fixture.WorkerLog}");
    }

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(UiFixture.Screenshots, name + ".png"), FullPage = true });

    [GeneratedRegex("/runs/([0-9a-f-]{36})$")]
    private static partial Regex RunPage();

    [GeneratedRegex(@"^\d+(\.\d)? (ms|s)$|^\d+ min \d+ s$")]
    private static partial Regex DurationText();
}
