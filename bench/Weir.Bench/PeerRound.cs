namespace Weir.Bench;

/// <summary>
/// One round of a peer (Hangfire, Quartz.NET) over <see cref="BenchCounts.Runs"/> jobs, timed as the Weir runs
/// are: from before the first job is handed over until the body's last expected call (<see cref="TrivialBody"/>);
/// then, as Weir waits for every run to be Completed on the server, until the peer's storage holds every job
/// done. CPU: the bench process (client and scheduler alike) and the PostgreSQL cluster, over that window.
/// </summary>
internal sealed record PeerRound(double WallMs, double SeenAfterMs, double BenchCpuMs, double DatabaseCpuMs)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(5);

    public double CpuMs => BenchCpuMs + DatabaseCpuMs;

    /// <param name="schedule">Hands all jobs over, one call per job.</param>
    /// <param name="storedDone">Whether the storage holds every job done.</param>
    public static async Task<PeerRound> MeasureAsync(string system, Func<int, Task> schedule, Func<Task<bool>> storedDone, PostgresCluster? postgres)
    {
        var jobs = BenchCounts.Runs;
        TrivialBody.Expect(jobs);
        var meters = new List<(string, Func<double>)> { CpuWindow.Bench };
        if (postgres is not null)
        {
            meters.Add(("database", postgres.CpuSeconds));
        }

        var cpu = CpuWindow.Start([.. meters]);
        var start = Stopwatch.GetTimestamp();
        await schedule(jobs);
        try
        {
            await TrivialBody.Reached.WaitAsync(s_deadline);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{system} ran {TrivialBody.Calls} of {jobs} jobs in {s_deadline.TotalMinutes:0} minutes.");
        }

        while (!await storedDone())
        {
            if (Stopwatch.GetElapsedTime(start) > s_deadline)
            {
                throw new InvalidOperationException($"{system} ran all {jobs} jobs but its storage did not show them all done within {s_deadline.TotalMinutes:0} minutes.");
            }

            await Task.Delay(s_poll);
        }

        var seen = Stopwatch.GetTimestamp();
        var used = cpu.Stop();
        if (TrivialBody.Calls != jobs)
        {
            throw new InvalidOperationException($"{system}: the job body ran {TrivialBody.Calls} times for {jobs} jobs.");
        }

        return new PeerRound(
            Stopwatch.GetElapsedTime(start, TrivialBody.ReachedAt).TotalMilliseconds,
            Stopwatch.GetElapsedTime(TrivialBody.ReachedAt, seen).TotalMilliseconds,
            used["bench"] * 1000,
            used.GetValueOrDefault("database") * 1000);
    }
}
