namespace Weir.Bench;

/// <summary>
/// The "1,000 trivial runs" comparison: Hangfire and Quartz.NET with the same job body (<see cref="TrivialBody"/>),
/// the same number of jobs (<see cref="BenchCounts.Runs"/>), the same concurrency as the Weir worker's
/// <c>--limit 4</c>, timed the same way (<see cref="PeerRound"/>), against a private PostgreSQL cluster like the
/// Weir rows'. The Weir figures come from the <c>runs</c> case in the same run (<see cref="Comparison"/>); run
/// alone, this section leaves their rows out.
/// </summary>
internal static class PeerBench
{
    public const int Workers = 4;

    public static async Task<string> RunAsync(bool hangfire, bool quartz)
    {
        var results = new List<PeerResult>();
        await using (var postgres = await PostgresCluster.StartAsync("peers-pg"))
        {
            if (hangfire)
            {
                results.AddRange(await HangfireBench.RunAsync(postgres));
            }

            if (quartz)
            {
                results.AddRange(await QuartzBench.RunAsync(postgres));
            }
        }

        foreach (var result in results)
        {
            Comparison.Peers[result.Name] = result.Median;
        }

        var jobs = BenchCounts.Runs;
        var table = string.Join("\n", results.Select(r =>
            $"| {r.Name} | {r.Settings} | {Stats.F(r.WallMs, "0")} ms | {Stats.F(jobs / (r.WallMs / 1000), "0")} | {Stats.F(Stats.Median(r.Rounds.Select(x => x.SeenAfterMs)), "0")} ms "
            + $"| {Stats.Ms(r.Median.CpuMs / jobs)} | {Stats.Ms(Stats.Median(r.Rounds.Select(x => x.BenchCpuMs)) / jobs)} | {(r.Rounds.All(x => x.DatabaseCpuMs == 0) ? "—" : Stats.Ms(Stats.Median(r.Rounds.Select(x => x.DatabaseCpuMs)) / jobs))} "
            + $"| {string.Join(", ", r.Rounds.Select(x => Stats.F(x.WallMs, "0")))} |"));
        return $"""
            {BenchCounts.Warning}## {jobs:N0} trivial runs: Weir against Hangfire and Quartz.NET

            {jobs:N0} jobs through Hangfire {HangfireBench.Version} and through Quartz.NET {QuartzBench.Version}, on the same machine in the same bench
            process as the Weir `runs` case (`all`, or `runs hangfire quartz`): Weir one round per row, each peer configuration the
            median of {BenchCounts.Rounds} rounds, each round on fresh storage: a new schema (Hangfire.PostgreSql), a new database whose tables
            Quartz.NET creates from its own PostgreSQL script (`ProvisionSchema()`, the `create_postgres.sql` in its package). PostgreSQL is a
            private cluster from `tests/infra/postgres.sh` (127.0.0.1, fsync off), as for the Weir rows. The job body is the
            Weir trivial flow's task body (`x + 1`, `TrivialBody.AddOne`, plus a call counter). Hangfire's `BackgroundJobServer`
            ({Workers} workers) and Quartz.NET's scheduler (`MaxConcurrency` {Workers}) run in the bench process, started and idle for a
            second before the clock starts: the concurrency of Weir's `--limit {WorkerBench.Limit}`. Hangfire and Quartz.NET run a job on a
            thread of their own process; Weir runs a flow run in the worker's process (in-process) or in a flow process, with
            a compile-cache lookup, states and logs on the server.

            Timing: the clock starts before the first `BackgroundJobClient.Enqueue` or `IScheduler.ScheduleJob` (one call per
            job, one after another) and stops at the body's {jobs:N0}th call, which the counter stamps; as for Weir, whose clock
            stops at the last run's own Completed time. The bench then waits until the storage holds every job done
            (Hangfire: {jobs:N0} Succeeded; Quartz.NET: no job left, as it deletes a non-durable job once its trigger is done),
            polled every 20 ms ("seen after"), and checks the body ran exactly {jobs:N0} times. CPU per run: between the clock's
            start and that, over {jobs:N0}: the bench process's own CPU time (client and scheduler are one process here) and the
            PostgreSQL cluster's processes, read from `/proc` as for Weir (`ProcessCpu`).

            | system | settings | {jobs:N0} runs (median) | runs/s | seen after | CPU per run | process | PostgreSQL | rounds (ms) |
            |---|---|---|---|---|---|---|---|---|
            {table}

            {Comparison.RatioTables()}
            """;
    }
}
