using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;

namespace Weir.Server.Tests;

/// <summary>
/// The database test suite: every test runs on SQLite (<see cref="SqliteTests"/>) and on PostgreSQL
/// (<see cref="PostgresTests"/>), each against a real server on 127.0.0.1 with a fresh database.
/// </summary>
public abstract partial class DatabaseSuite
{
    /// <summary>A fresh database: null for SQLite (a temp file), or a PostgreSQL connection string.</summary>
    protected abstract Task<string?> NewDatabaseAsync();

    /// <summary>A real server on a fresh database (no background services: the tests drive them on a clock of their own).</summary>
    protected async Task<TestServer> StartAsync(TimeProvider? time = null, string? apiKey = null, IReadOnlyList<string>? workerKeys = null) =>
        await StartOnAsync(await NewDatabaseAsync(), time, apiKey, workerKeys);

    /// <summary>A real server on <paramref name="database"/> (null: SQLite in its home), no background services.</summary>
    protected static Task<TestServer> StartOnAsync(string? database, TimeProvider? time = null, string? apiKey = null, IReadOnlyList<string>? workerKeys = null) =>
        TestServer.StartAsync(new TestServerOptions
        {
            Postgres = database, Time = time ?? TimeProvider.System, ApiKey = apiKey, WorkerApiKeys = workerKeys ?? [], BackgroundServices = false,
        });

    /// <summary>A clock the test moves, starting at 2026-03-01 12:00 UTC.</summary>
    protected static FakeTimeProvider FakeTime() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected static DeploymentRequest Deployment(string name = "nightly", string pool = "default", int retries = 0, IReadOnlyList<ScheduleDto>? schedules = null) => new()
    {
        FlowName = "example",
        Name = name,
        Entrypoint = "flows/example.cs:example",
        PullSteps = [new JsonObject { ["set_working_directory"] = new JsonObject { ["directory"] = "/tmp" } }],
        Structure = new FlowStructure("example", [new ParameterSchema("limit", "int", false, "5")], ["GetData", "PrintData"]),
        Parameters = new JsonObject { ["limit"] = 3 },
        WorkPool = pool,
        Retries = retries,
        Schedules = schedules ?? [],
    };

    /// <summary>Deploys <see cref="Deployment"/> (with <paramref name="retries"/>) and creates a run of <c>example/nightly</c>.</summary>
    protected static async Task<FlowRunDto> NewRunAsync(TestServer server, int retries = 0)
    {
        await server.Client.DeployAsync(Deployment(retries: retries), default);
        return await server.Client.CreateRunAsync("example", "nightly", null, default);
    }

    /// <summary><see cref="NewRunAsync"/>, then a claim by worker w1 of pool default, checked to hand out a run.</summary>
    protected static async Task<FlowRunDto> ClaimedRunAsync(TestServer server, int retries = 0)
    {
        var run = await NewRunAsync(server, retries);
        (await server.Client.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldNotBeNull();
        return run;
    }

    protected static async Task<ProblemDto> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProblemDto>(ApiJson.Options))!;
    }

    [Fact]
    public async Task Health_Version_And_OpenApi_Answer()
    {
        await using var server = await StartAsync(apiKey: "admin-key");
        using var anonymous = new HttpClient { BaseAddress = server.Server.Url };
        (await anonymous.GetStringAsync("/api/health")).ShouldContain("ok");
        (await anonymous.GetStringAsync("/api/version")).ShouldContain("\"api\":1");
        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");
        openApi.ShouldContain("/api/work-pools/{pool}/claim");
        openApi.ShouldContain("/api/events");
    }

    [Fact]
    public async Task Deploy_BumpsVersion_OnlyWhenCodeLocationOrStructureChanges()
    {
        await using var server = await StartAsync();
        var first = await server.Client.DeployAsync(Deployment(), default);
        first.Created.ShouldBeTrue();
        first.Deployment.Version.ShouldBe(1);
        first.Deployment.Structure.Hash.Length.ShouldBe(64);
        first.Deployment.Structure.Parameters.Count.ShouldBe(1);

        var same = await server.Client.DeployAsync(Deployment() with { Tags = ["a"] }, default);
        same.Created.ShouldBeFalse();
        same.VersionChanged.ShouldBeFalse();
        same.Deployment.Version.ShouldBe(1);
        same.Deployment.Tags.ShouldBe(["a"]);

        var changed = await server.Client.DeployAsync(Deployment() with { Entrypoint = "flows/moved.cs:example" }, default);
        changed.VersionChanged.ShouldBeTrue();
        changed.Deployment.Version.ShouldBe(2);
        (await server.Client.ListDeploymentsAsync(default)).Count.ShouldBe(1);
        (await server.Http.GetFromJsonAsync<List<FlowDto>>("/api/flows", ApiJson.Options))!.Single().Name.ShouldBe("example");
    }

    [Fact]
    public async Task CreateRun_MergesParameters_AndRefusesUnknownOnes()
    {
        await using var server = await StartAsync();
        await server.Client.DeployAsync(Deployment(), default);
        var run = await server.Client.CreateRunAsync("example", "nightly", new JsonObject { ["limit"] = 7 }, default);
        run.State.ShouldBe(StateType.Scheduled);
        run.Parameters["limit"]!.GetValue<int>().ShouldBe(7);
        run.DeploymentName.ShouldBe("example/nightly");

        var refused = await server.Http.PostAsJsonAsync("/api/deployments/example/nightly/runs", new { parameters = new { limt = 1 } });
        (await ProblemAsync(refused, HttpStatusCode.BadRequest)).Field.ShouldBe("parameters.limt");
        (await server.Client.ListRunsAsync(100, default)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task States_FollowTheRules_TerminalStaysTerminal_ExpectedMismatchIs409_RetryIsExplicit()
    {
        await using var server = await StartAsync();
        var run = await ClaimedRunAsync(server);
        (await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Running, Expected: StateType.Pending), default)).State.ShouldBe(StateType.Running);

        var stale = await server.Http.PostAsJsonAsync($"/api/flow-runs/{run.Id}/state", new StateRequest(StateType.Completed, Expected: StateType.Pending), ApiJson.Options);
        var problem = await ProblemAsync(stale, HttpStatusCode.Conflict);
        problem.Field.ShouldBe("expected");
        problem.Message.ShouldContain("is Running, not Pending");

        (await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Failed, "boom"), default)).State.ShouldBe(StateType.Failed);
        var backToRunning = await server.Http.PostAsJsonAsync($"/api/flow-runs/{run.Id}/state", new StateRequest(StateType.Running), ApiJson.Options);
        (await ProblemAsync(backToRunning, HttpStatusCode.Conflict)).Message.ShouldContain("already ended Failed");

        var retried = await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Scheduled, "again", Expected: StateType.Failed, Retry: true), default);
        retried.State.ShouldBe(StateType.Scheduled);
        retried.Worker.ShouldBeNull();
        (await server.Client.GetRunAsync((await server.Client.ClaimAsync("default", new ClaimRequest("w2", 0), default)).ShouldHaveSingleItem().FlowRunId, default))!.RunCount.ShouldBe(2);

        var history = await server.Client.RunHistoryAsync(run.Id, default);
        history.Select(h => h.Type).ShouldBe([StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Failed, StateType.Scheduled, StateType.Pending]);

        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Completed), default);
        var retryCompleted = await server.Http.PostAsJsonAsync($"/api/flow-runs/{run.Id}/state", new StateRequest(StateType.Scheduled, Retry: true), ApiJson.Options);
        (await ProblemAsync(retryCompleted, HttpStatusCode.Conflict)).Field.ShouldBe("retry");
    }

    [Fact]
    public async Task Cancel_ScheduledRunIsCancelled_RunningRunIsCancellingAndItsWorkerIsTold()
    {
        await using var server = await StartAsync();
        var waiting = await NewRunAsync(server);
        (await server.Client.CancelAsync(waiting.Id, default)).State.ShouldBe(StateType.Cancelled);

        var run = await server.Client.CreateRunAsync("example", "nightly", null, default);
        (await server.Client.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(run.Id);
        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        (await server.Client.CancelAsync(run.Id, default)).State.ShouldBe(StateType.Cancelling);
        (await server.Client.HeartbeatAsync("default", new HeartbeatRequest("w1", [run.Id]), default)).Cancel.ShouldBe([run.Id]);
        (await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Cancelled), default)).State.ShouldBe(StateType.Cancelled);
    }

    [Fact]
    public async Task Logs_ArePagedByIdCursor_AndTaskRunsComeFromTheBatch()
    {
        await using var server = await StartAsync();
        var run = await NewRunAsync(server);
        var task = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var batch = new EventBatch
        {
            FlowRunStates = [new RunStateEvent(run.Id, StateType.Running, null, now)],
            TaskRuns = [new TaskRunDto { Id = task, FlowRunId = run.Id, TaskName = "GetData", TaskKey = "GetData-0", StateTime = now }],
            TaskRunStates = [new RunStateEvent(task, StateType.Running, null, now), new RunStateEvent(task, StateType.Completed, null, now.AddMilliseconds(5))],
            Logs = [.. Enumerable.Range(0, 25).Select(i => new LogDto(0, run.Id, task, now, "INFO", "stdout", $"line {i}"))],
        };
        (await server.Client.SendEventsAsync(batch, default)).Refused.ShouldBeEmpty();

        var first = await server.Client.LogsAsync(run.Id, 0, 10, default);
        first.Select(l => l.Message).ShouldBe(Enumerable.Range(0, 10).Select(i => $"line {i}"));
        var rest = await server.Client.LogsAsync(run.Id, first[^1].Id, 100, default);
        rest.Count.ShouldBe(15);
        rest[0].Message.ShouldBe("line 10");
        var taskRun = (await server.Client.TaskRunsAsync(run.Id, default)).Single();
        taskRun.State.ShouldBe(StateType.Completed);
        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Running);
    }
}
