using Microsoft.Extensions.Time.Testing;

namespace Weir.Server.Tests;

/// <summary>The web UI's store queries and pages, on both databases.</summary>
public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task RunActivity_CountsRunsPerHourCreatedAndState_AlikeOnEveryDatabase()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero));
        await using var server = await StartAsync(clock);
        var store = server.Server.Store;
        var deployment = (await store.UpsertDeploymentAsync(Deployment(), default)).Deployment;
        var early = await store.CreateRunsAsync([new NewFlowRun { Deployment = deployment }, new NewFlowRun { Deployment = deployment }], default);
        clock.Advance(TimeSpan.FromHours(2)); // 12:15
        var late = (await store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, default))!;
        await store.SetStateAsync(early[0].Id, new StateRequest(StateType.Running), default);
        await store.SetStateAsync(early[0].Id, new StateRequest(StateType.Completed), default);

        var activity = await store.RunActivityAsync(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), default);

        activity.OrderBy(a => a.Hour).ThenBy(a => a.State).ShouldBe(
        [
            new RunActivity(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), StateType.Scheduled, 1),
            new RunActivity(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), StateType.Completed, 1),
            new RunActivity(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), StateType.Scheduled, 1),
        ]);
        (await store.RunActivityAsync(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), default)).Sum(a => a.Count).ShouldBe(1);

        var summary = (await store.FlowRunSummariesAsync(default)).Single();
        summary.ShouldBe(new FlowRunSummary("example", 3, late.Created));

        var since = await store.ListRunsAsync(new FlowRunFilter { Since = new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero) }, default);
        since.Select(r => r.Id).ShouldBe([late.Id]);
        var until = await store.ListRunsAsync(new FlowRunFilter { Until = new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero) }, default);
        until.Count.ShouldBe(2);
        clock.Advance(TimeSpan.FromMinutes(5));
        await store.MarkLateRunsAsync(TimeSpan.FromMinutes(1), default);
        (await store.ListRunsAsync(new FlowRunFilter { StateName = "Late" }, default)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task TaskRunStates_AreAllTheStatesOfARunsTaskRuns_OldestFirst()
    {
        await using var server = await StartAsync();
        var (store, deployment, run) = await StoreRunAsync(server);
        var other = (await store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, default))!;
        var t = DateTimeOffset.UtcNow;
        var a = Guid.CreateVersion7();
        var b = Guid.CreateVersion7();
        var c = Guid.CreateVersion7();
        await store.ApplyBatchAsync(new EventBatch
        {
            TaskRuns =
            [
                new TaskRunDto { Id = a, FlowRunId = run.Id, TaskName = "GetData", TaskKey = "GetData-0" },
                new TaskRunDto { Id = b, FlowRunId = run.Id, TaskName = "PrintData", TaskKey = "PrintData-0" },
                new TaskRunDto { Id = c, FlowRunId = other.Id, TaskName = "GetData", TaskKey = "GetData-0" },
            ],
            TaskRunStates =
            [
                new RunStateEvent(a, StateType.Running, null, t), new RunStateEvent(a, StateType.Completed, null, t.AddSeconds(1)),
                new RunStateEvent(b, StateType.Running, null, t.AddSeconds(1)), new RunStateEvent(c, StateType.Running, null, t),
            ],
        }, default);

        var states = await store.TaskRunStatesAsync(run.Id, default);

        states.Where(s => s.Type != StateType.Pending).Select(s => (s.RunId, s.Type)).ShouldBe([(a, StateType.Running), (a, StateType.Completed), (b, StateType.Running)]);
    }

    [Fact]
    public async Task Logs_SayWhichTaskRunWroteThem_InTheApiAndOnTheRunPage()
    {
        await using var server = await StartAsync();
        var (store, deployment, run) = await StoreRunAsync(server);
        var task = Guid.CreateVersion7();
        var t = DateTimeOffset.UtcNow;
        await store.ApplyBatchAsync(new EventBatch
        {
            TaskRuns = [new TaskRunDto { Id = task, FlowRunId = run.Id, TaskName = "Report", TaskKey = "Report-0", StateTime = t }],
            Logs =
            [
                new LogDto(0, run.Id, task, t, "INFO", "stdout", "from the task"),
                new LogDto(0, run.Id, null, t, "INFO", "stdout", "from the flow"),
                new LogDto(0, run.Id, null, t, "INFO", LogDto.WorkerSource, "from the worker"),
            ],
        }, default);

        var logs = await server.Client.LogsAsync(run.Id, 0, 10, default);
        logs.Select(l => (l.TaskKey, l.Writer)).ShouldBe([("Report-0", "Task run 'Report-0'"), (null, "Flow run"), (null, "Worker")]);

        using var http = new HttpClient { BaseAddress = server.Server.Url };
        var page = await http.GetStringAsync($"/runs/{run.Id}");
        page.ShouldContain("<span class=\"src\">Task run &#x27;Report-0&#x27;</span> <span class=\"msg\">from the task</span>");
        page.ShouldContain("<span class=\"src\">Flow run</span> <span class=\"msg\">from the flow</span>");
        page.ShouldNotContain(">stdout<");
        var live = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"/runs/{run.Id}/live"))!;
        live["logs"]!.AsArray().Select(l => l!["source"]!.GetValue<string>()).ShouldBe(["Task run 'Report-0'", "Flow run", "Worker"]);
    }

    [Fact]
    public async Task UiPages_CardsKeepTheirFilters_ListsShowStorageLastRunAndDuration_RunPageShowsDefaults()
    {
        var clock = FakeTime();
        await using var server = await StartAsync(clock);
        var store = server.Server.Store;
        var local = (await store.UpsertDeploymentAsync(Deployment() with { Parameters = [] }, default)).Deployment;
        await store.UpsertDeploymentAsync(Deployment("from-git") with
        {
            PullSteps = [new JsonObject { ["git_clone"] = new JsonObject { ["repository"] = "https://git.example/flows.git", ["branch"] = "main" } }],
        }, default);
        var run = (await store.CreateRunAsync(new NewFlowRun { Deployment = local }, default))!;
        await store.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        clock.Advance(TimeSpan.FromSeconds(90));
        await store.SetStateAsync(run.Id, new StateRequest(StateType.Completed), default);
        clock.Advance(TimeSpan.FromMinutes(10));
        using var http = new HttpClient { BaseAddress = server.Server.Url };

        var dashboard = await http.GetStringAsync("/");
        dashboard.ShouldContain("href=\"/runs?state=Completed&amp;since=24h\"");
        dashboard.ShouldNotContain("&amp;amp;");

        var deployments = await http.GetStringAsync("/deployments");
        deployments.ShouldContain("<td class=\"storage\" title=\"/tmp\">local folder</td>");
        deployments.ShouldContain("<td class=\"storage\" title=\"https://git.example/flows.git\">git</td>");
        deployments.ShouldContain($"<span class=\"state state-completed\">Completed</span> <a class=\"mono\" href=\"/runs/{run.Id}\"");
        deployments.ShouldContain($">{run.ShortId}</a>");
        deployments.ShouldContain("<span class=\"muted\">never</span>");
        deployments.ShouldContain("<form method=\"post\" action=\"/deployments/example/nightly/run\" class=\"inline\"><button type=\"submit\"");
        deployments.ShouldContain("<form method=\"post\" action=\"/deployments/example/from-git/run\" class=\"inline\"><button type=\"submit\"");

        (await http.GetStringAsync("/runs")).ShouldContain(">1 min 30 s</span>");
        (await server.Client.GetRunAsync(run.Id, default))!.StartTime.ShouldBe(clock.GetUtcNow().AddMinutes(-10).AddSeconds(-90));

        var runPage = await http.GetStringAsync($"/runs/{run.Id}");
        runPage.ShouldContain("<span class=\"chip default\" data-param=\"limit\" title=\"Not set for this run: the flow&#x27;s default\">limit = 5 (default)</span>");
    }

    [Fact]
    public async Task UiPages_RenderOnEveryDatabase_AndNeverShowASecretValue()
    {
        await using var server = await StartAsync();
        var store = server.Server.Store;
        var deployment = (await store.UpsertDeploymentAsync(Deployment() with
        {
            PullSteps = [new JsonObject { ["git_clone"] = new JsonObject { ["repository"] = "https://git.example/flows.git", ["access_token"] = "{{ weir.blocks.secret.token }}" } }],
        }, default)).Deployment;
        await store.PutBlockAsync("secret", "token", new JsonObject { ["value"] = "never-in-a-page-4711" }, default);
        var run = (await store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, default))!;
        await store.ApplyBatchAsync(new EventBatch { Provenance = [new RunProvenance(run.Id, "0123456789abcdef0123456789abcdef01234567", null, "feedface",
            "flow 'example' now calls GetData → PrintData → Extra; the deployment recorded GetData → PrintData.")] }, default);
        using var http = new HttpClient { BaseAddress = server.Server.Url };
        foreach (var path in new[] { "/", "/flows", "/deployments", "/deployments/example/nightly", "/runs", "/runs?state=Scheduled&since=1h", $"/runs/{run.Id}", $"/runs/{run.Id}/live", "/work-pools", "/blocks", "/variables" })
        {
            var html = await http.GetStringAsync(path);
            html.ShouldNotContain("never-in-a-page-4711", customMessage: path);
        }

        (await http.GetStringAsync("/deployments/example/nightly")).ShouldContain("{{ weir.blocks.secret.token }}</a>");
        // Runs go by their short id (the random part of the id; its start is a timestamp).
        (await http.GetStringAsync("/runs")).ShouldContain($">{run.ShortId}</a>");
        var runPage = await http.GetStringAsync($"/runs/{run.Id}");
        runPage.ShouldContain($"<title>Flow run {run.ShortId} · Weir</title>");
        runPage.ShouldContain("<strong>Structure drift.</strong> flow &#x27;example&#x27; now calls GetData");
        runPage.ShouldContain("<code class=\"commit\" title=\"0123456789abcdef0123456789abcdef01234567\">0123456789abcdef0123456789abcdef01234567</code>");
    }

    /// <summary>Through the store: <see cref="Deployment"/> and a run of it.</summary>
    private static async Task<(IWeirStore Store, DeploymentDto Deployment, FlowRunDto Run)> StoreRunAsync(TestServer server)
    {
        var store = server.Server.Store;
        var deployment = (await store.UpsertDeploymentAsync(Deployment(), default)).Deployment;
        return (store, deployment, (await store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, default))!);
    }
}
