using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Weir.Worker.Tests;

/// <summary>The worker's timed behaviour on an injected clock: heart-beats every interval, and a claim that cannot reach the server waits before trying again.</summary>
public sealed class WorkerClockTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-worker-clock-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private WorkerOptions Options(FakeTimeProvider time) => new()
    {
        Pool = "clock",
        WeirHome = _home,
        HeartbeatInterval = TimeSpan.FromSeconds(10),
        ClaimWait = TimeSpan.FromMilliseconds(50),
        TimeProvider = time,
        Prefetch = 0,
        Standby = 0,
    };

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Heartbeat_IsSentEveryInterval_OfTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var server = new InMemoryWorkerServer(_home);
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => new Worker(server, Options(time)).RunAsync(stop.Token));
        await UntilAsync(() => server.Heartbeats.Count == 1, "the first heart-beat, at start");

        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(200);
        server.Heartbeats.Count.ShouldBe(1, "nine seconds of a ten-second interval send nothing");
        time.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => server.Heartbeats.Count == 2, "the second heart-beat, at ten seconds");
        time.Advance(TimeSpan.FromSeconds(10));
        await UntilAsync(() => server.Heartbeats.Count == 3, "the third heart-beat, at twenty seconds");

        await stop.CancelAsync();
        await worker.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Claim_WhenTheServerIsUnreachable_WaitsTwoSecondsOfTheInjectedClock_BeforeTryingAgain()
    {
        var time = new FakeTimeProvider();
        var server = new InMemoryWorkerServer(_home) { UnreachableClaims = 2 };
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => new Worker(server, Options(time)).RunAsync(stop.Token));
        await UntilAsync(() => server.Claims == 1, "the first claim");

        await Task.Delay(300);
        server.Claims.ShouldBe(1, "a failed claim is not retried before its back-off");
        time.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(200);
        server.Claims.ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await UntilAsync(() => server.Claims == 2, "the claim after two seconds");
        time.Advance(TimeSpan.FromSeconds(2));
        await UntilAsync(() => server.Claims >= 3, "the claims go on once the server answers");

        await stop.CancelAsync();
        await worker.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
