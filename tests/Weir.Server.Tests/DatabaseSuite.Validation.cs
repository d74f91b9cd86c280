using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task BadInput_MalformedJson_Is400_NamingTheBody()
    {
        await using var server = await StartAsync();
        var problem = await ProblemAsync(await server.Http.PutAsync("/api/deployments", Json("{\"flowName\": \"x\", ")), HttpStatusCode.BadRequest);
        problem.Field.ShouldBe("body");
        (await server.Client.ListDeploymentsAsync(default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task BadInput_MissingOrWronglyTypedFields_Are400_NamingTheField()
    {
        await using var server = await StartAsync();
        var missing = await ProblemAsync(await server.Http.PutAsync("/api/deployments", Json("""{"flowName": "x", "name": "y"}""")), HttpStatusCode.BadRequest);
        missing.Field.ShouldNotBeNull();
        missing.Message.ShouldContain("missing");

        var wrongType = await ProblemAsync(await server.Http.PutAsync("/api/work-pools/p", Json("""{"type": "process", "concurrencyLimit": "many"}""")), HttpStatusCode.BadRequest);
        wrongType.Field.ShouldBe("concurrencyLimit");

        var badName = await ProblemAsync(await server.Http.PutAsync("/api/variables/a%20b", Json("""{"value": "1"}""")), HttpStatusCode.BadRequest);
        badName.Field.ShouldBe("name");
        (await server.Client.ListVariablesAsync(default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task BadInput_UnknownStateName_Is400_NamingTheField()
    {
        await using var server = await StartAsync();
        var run = await NewRunAsync(server);
        var problem = await ProblemAsync(await server.Http.PostAsync($"/api/flow-runs/{run.Id}/state", Json("""{"type": "Runing"}""")), HttpStatusCode.BadRequest);
        problem.Field.ShouldBe("type");
        problem.Message.ShouldContain("Scheduled, Pending, Running");
        var noType = await ProblemAsync(await server.Http.PostAsync($"/api/flow-runs/{run.Id}/state", Json("{}")), HttpStatusCode.BadRequest);
        noType.Field.ShouldBe("type");
        var query = await ProblemAsync(await server.Http.GetAsync("/api/flow-runs?state=Done"), HttpStatusCode.BadRequest);
        query.Field.ShouldBe("state");
        (await server.Client.RunHistoryAsync(run.Id, default)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task BadInput_OversizedPayload_Is413_AndLogBatchesMayBeLarger()
    {
        await using var server = await StartAsync();
        var big = new string('x', 1100 * 1024);
        var problem = await ProblemAsync(await server.Http.PutAsJsonAsync("/api/variables/big", new { value = big }), HttpStatusCode.RequestEntityTooLarge);
        problem.Message.ShouldContain("MiB");
        (await server.Client.ListVariablesAsync(default)).ShouldBeEmpty();

        var run = await NewRunAsync(server);
        var logs = new EventBatch { Logs = [.. Enumerable.Range(0, 40).Select(i => new LogDto(0, run.Id, null, DateTimeOffset.UtcNow, "INFO", "stdout", new string('y', 40 * 1024)))] };
        await server.Client.SendEventsAsync(logs, default);
        (await server.Client.LogsAsync(run.Id, 0, 100, default)).Count.ShouldBe(40);
    }

    [Fact]
    public async Task BadInput_ABadItemInABatch_RefusesTheWholeBatch_LeavingNoRows()
    {
        await using var server = await StartAsync();
        var run = await NewRunAsync(server);
        var now = DateTimeOffset.UtcNow;
        var batch = new JsonObject
        {
            ["taskRuns"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid(), ["flowRunId"] = run.Id, ["taskName"] = "GetData", ["taskKey"] = "GetData-0" }),
            ["logs"] = new JsonArray(
                new JsonObject { ["id"] = 0, ["flowRunId"] = run.Id, ["taskRunId"] = null, ["time"] = now, ["level"] = "INFO", ["source"] = "stdout", ["message"] = "fine" },
                new JsonObject { ["id"] = 0, ["flowRunId"] = run.Id, ["taskRunId"] = null, ["time"] = now, ["level"] = "LOUD", ["source"] = "stdout", ["message"] = "bad level" }),
        };
        var problem = await ProblemAsync(await server.Http.PostAsync("/api/events", Json(batch.ToJsonString())), HttpStatusCode.BadRequest);
        problem.Field.ShouldBe("logs[1].level");

        var unknownRun = new EventBatch { Logs = [new LogDto(0, Guid.NewGuid(), null, now, "INFO", "stdout", "who?")], TaskRuns = [new TaskRunDto { Id = Guid.NewGuid(), FlowRunId = run.Id, TaskName = "A", TaskKey = "A-0" }] };
        var missing = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/events", unknownRun, ApiJson.Options), HttpStatusCode.BadRequest);
        missing.Field.ShouldBe("logs[0].flowRunId");

        (await server.Client.TaskRunsAsync(run.Id, default)).ShouldBeEmpty();
        (await server.Client.LogsAsync(run.Id, 0, 100, default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task BadInput_InvalidSchedule_Is400_NamingTheField_AndSavesNoDeployment()
    {
        await using var server = await StartAsync();
        var cron = await ProblemAsync(await server.Http.PutAsJsonAsync("/api/deployments", Deployment(schedules: [new ScheduleDto("0 25 * * *", null)]), ApiJson.Options), HttpStatusCode.BadRequest);
        cron.Field.ShouldBe("schedules[0].cron");
        var zone = await ProblemAsync(await server.Http.PutAsJsonAsync("/api/deployments", Deployment(schedules: [new ScheduleDto(null, 60), new ScheduleDto("0 2 * * *", null, "Mars/Olympus")]), ApiJson.Options), HttpStatusCode.BadRequest);
        zone.Field.ShouldBe("schedules[1].timezone");
        (await server.Client.ListDeploymentsAsync(default)).ShouldBeEmpty();
        (await server.Client.ListPoolsAsync(default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task IllegalTransition_InABatch_IsReportedAndSkipped_WhileTheRestApplies()
    {
        await using var server = await StartAsync();
        var run = await NewRunAsync(server);
        await server.Client.CancelAsync(run.Id, default);
        var now = DateTimeOffset.UtcNow;
        var result = await server.Client.SendEventsAsync(new EventBatch
        {
            FlowRunStates = [new RunStateEvent(run.Id, StateType.Running, null, now)],
            Logs = [new LogDto(0, run.Id, null, now, "INFO", "stdout", "still kept")],
        }, default);
        result.Refused.Single().ShouldContain("already ended Cancelled");
        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Cancelled);
        (await server.Client.LogsAsync(run.Id, 0, 10, default)).Single().Message.ShouldBe("still kept");
    }
}
