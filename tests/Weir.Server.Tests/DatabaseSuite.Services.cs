using Microsoft.Extensions.DependencyInjection;
using Weir.Server.Services;

namespace Weir.Server.Tests;

public abstract partial class DatabaseSuite
{
    [Fact]
    public async Task Schedules_CreateRunsAhead_Idempotently_InTheirTimeZone()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        await server.Client.DeployAsync(Deployment(schedules: [new ScheduleDto(null, 600), new ScheduleDto("30 14 * * *", null, "Europe/Berlin")]), default);
        var scheduler = server.Server.Services.GetRequiredService<Scheduler>();
        await scheduler.RunOnceAsync(default);
        await scheduler.RunOnceAsync(default);
        var runs = await server.Server.Store.ListRunsAsync(new FlowRunFilter { Limit = 1000 }, default);
        // 12:00 UTC + 1 h: intervals at 12:10 … 13:00 (6); 14:30 Berlin is 13:30 UTC in March (after the hour).
        runs.Count.ShouldBe(6);
        runs.ShouldAllBe(r => r.ScheduledFor == r.ExpectedStart && r.State == StateType.Scheduled);
        runs.Select(r => r.ScheduledFor).Distinct().Count().ShouldBe(6);

        time.Advance(TimeSpan.FromMinutes(31));
        await scheduler.RunOnceAsync(default);
        await scheduler.RunOnceAsync(default);
        runs = await server.Server.Store.ListRunsAsync(new FlowRunFilter { Limit = 1000 }, default);
        // Up to 13:31: intervals 12:10 … 13:30 (9); the cron's 13:30 is the same time, and a deployment has one run per time.
        runs.Count.ShouldBe(9);
        runs.Count(r => r.ScheduledFor == new DateTimeOffset(2026, 3, 1, 13, 30, 0, TimeSpan.Zero)).ShouldBe(1);

        // Changing the schedules replaces the runs made ahead by the old ones.
        await server.Client.DeployAsync(Deployment(schedules: [new ScheduleDto(null, 3600)]), default);
        await scheduler.RunOnceAsync(default);
        runs = await server.Server.Store.ListRunsAsync(new FlowRunFilter { Limit = 1000 }, default);
        runs.Select(r => r.ScheduledFor).ShouldBe([new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero)]);
    }

    [Fact]
    public async Task LateRuns_AreRenamedLate_AndStayClaimable()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var run = await NewRunAsync(server);
        var marker = server.Server.Services.GetRequiredService<LateRunMarker>();
        time.Advance(TimeSpan.FromSeconds(10));
        await marker.RunOnceAsync(default);
        (await server.Client.GetRunAsync(run.Id, default))!.StateName.ShouldBe("Scheduled");
        time.Advance(TimeSpan.FromSeconds(10));
        await marker.RunOnceAsync(default);
        await marker.RunOnceAsync(default);
        var late = await server.Client.GetRunAsync(run.Id, default);
        late!.State.ShouldBe(StateType.Scheduled);
        late.StateName.ShouldBe("Late");
        (await server.Client.RunHistoryAsync(run.Id, default)).Select(h => h.Name).ShouldBe(["Scheduled", "Late"]);
        (await server.Client.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(run.Id);
    }

    [Fact]
    public async Task CrashDetection_SilentWorker_RunIsCrashed_AndRescheduledWhileRetriesRemain()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        await server.Client.DeployAsync(Deployment(retries: 1), default);
        var run = await server.Client.CreateRunAsync("example", "nightly", null, default);
        var detector = server.Server.Services.GetRequiredService<CrashDetector>();

        (await server.Client.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(run.Id);
        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        time.Advance(TimeSpan.FromSeconds(20));
        await server.Client.HeartbeatAsync("default", new HeartbeatRequest("w1", [run.Id]), default);
        time.Advance(TimeSpan.FromSeconds(20));
        await detector.RunOnceAsync(default);
        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Running, "the worker heart-beat 20 s ago");

        time.Advance(TimeSpan.FromSeconds(15));
        await detector.RunOnceAsync(default);
        var retried = await server.Client.GetRunAsync(run.Id, default);
        retried!.State.ShouldBe(StateType.Scheduled);
        retried.StateName.ShouldBe("AwaitingRetry");
        retried.Worker.ShouldBeNull();

        (await server.Client.GetRunAsync((await server.Client.ClaimAsync("default", new ClaimRequest("w2", 0), default)).ShouldHaveSingleItem().FlowRunId, default))!.RunCount.ShouldBe(2);
        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        time.Advance(TimeSpan.FromSeconds(31));
        await detector.RunOnceAsync(default);
        var crashed = await server.Client.GetRunAsync(run.Id, default);
        crashed!.State.ShouldBe(StateType.Crashed, "one retry was allowed and used");
        crashed.StateMessage!.ShouldContain("w2 stopped heart-beating");
        (await server.Client.RunHistoryAsync(run.Id, default)).Select(h => h.Name).ShouldBe(
            ["Scheduled", "Pending", "Running", "Crashed", "AwaitingRetry", "Pending", "Running", "Crashed"]);
    }

    [Fact]
    public async Task CrashDetection_AfterTheServerWasDownLongerThanTheSilence_WaitsAWholeSilenceBeforeTakingWorkersForLost()
    {
        var time = FakeTime();
        await using var server = await StartAsync(time);
        var run = await NewRunAsync(server);
        (await server.Client.ClaimAsync("default", new ClaimRequest("w1", 0), default)).ShouldHaveSingleItem().FlowRunId.ShouldBe(run.Id);
        await server.Client.SetStateAsync(run.Id, new StateRequest(StateType.Running), default);
        await server.Client.HeartbeatAsync("default", new HeartbeatRequest("w1", [run.Id]), default);

        // No heart-beat could be recorded for a minute (as if the server had been down); the detector starts now.
        time.Advance(TimeSpan.FromSeconds(60));
        var detector = server.Server.Services.GetRequiredService<CrashDetector>();
        await detector.RunOnceAsync(default);
        time.Advance(TimeSpan.FromSeconds(20));
        await detector.RunOnceAsync(default);
        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Running, "heart-beats have been recordable for 20 s only");

        // A live worker heart-beats again at once; this one stays silent for a whole silence since the detector started.
        time.Advance(TimeSpan.FromSeconds(11));
        await detector.RunOnceAsync(default);
        (await server.Client.GetRunAsync(run.Id, default))!.State.ShouldBe(StateType.Crashed);
    }
}
