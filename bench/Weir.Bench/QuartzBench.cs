using Quartz;

namespace Weir.Bench;

/// <summary>
/// The Quartz.NET side of the comparison (<see cref="PeerBench"/>): the ADO.NET job store on PostgreSQL
/// through Npgsql, as a .NET team sets it up (<c>UsePersistentStore</c> with <c>UsePostgres</c>), not
/// clustered (the default) and clustered (what several instances sharing one database need). Each round a
/// new database whose tables Quartz.NET creates itself at start (<c>ProvisionSchema</c>, which runs the
/// PostgreSQL DDL script embedded in the Quartz package, <c>create_postgres.sql</c>, generated from the same
/// schema description as the repository's <c>database/tables/tables_postgres.sql</c>); the scheduler runs in
/// this process with <c>MaxConcurrency</c> <see cref="PeerBench.Workers"/>.
/// </summary>
internal static class QuartzBench
{
    public static string Version => typeof(IScheduler).Assembly.GetName().Version?.ToString(3) ?? "?";

    public static async Task<IReadOnlyList<PeerResult>> RunAsync(PostgresCluster postgres)
    {
        var scheduler = new QuartzSchedulerOptions();
        var cluster = new ClusteringOptions();
        var common = $"`UsePersistentStore(s => s.UsePostgres(…))`, tables from `ProvisionSchema()`; `UseDefaultThreadPool({PeerBench.Workers})` "
            + $"(MaxConcurrency {PeerBench.Workers}); MaxBatchSize automatic (the pool's size on a database), IdleWaitTime {scheduler.IdleWaitTime.TotalSeconds:0} s";
        return
        [
            new("Quartz.NET, PostgreSQL", common + "; not clustered (the default)",
                await RoundsAsync("quartz_single", clustered: false, postgres)),
            new("Quartz.NET, PostgreSQL, clustered", common + $"; `UseClustering()`: database row locks, check-in every {cluster.CheckinInterval.TotalSeconds:0.#} s, a generated instance id",
                await RoundsAsync("quartz_cluster", clustered: true, postgres)),
        ];
    }

    private static async Task<List<PeerRound>> RoundsAsync(string name, bool clustered, PostgresCluster postgres)
    {
        var rounds = new List<PeerRound>();
        for (var round = 0; round < BenchCounts.Rounds; round++)
        {
            var database = await postgres.CreateDatabaseAsync($"{name}_{round}");
            rounds.Add(await OnceAsync(clustered ? "Quartz.NET, clustered" : "Quartz.NET", database, clustered, postgres));
        }

        return rounds;
    }

    private static async Task<PeerRound> OnceAsync(string system, string database, bool clustered, PostgresCluster postgres)
    {
        await using var factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.UseDefaultThreadPool(PeerBench.Workers);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(database);
                store.ProvisionSchema();
                if (clustered)
                {
                    store.UseClustering();
                }
            });
        }).Build();
        var scheduler = await factory.GetScheduler();
        await scheduler.Start();
        // What the numbers are of: the database store, clustered as asked, with the pool of the Weir worker's limit.
        var metadata = await scheduler.GetMetadata();
        if (!metadata.JobStorePersistent || metadata.JobStoreClustered != clustered || metadata.ThreadPoolSize != PeerBench.Workers)
        {
            throw new InvalidOperationException($"{system} runs on {metadata.JobStoreTypeName} (persistent: {metadata.JobStorePersistent}, clustered: {metadata.JobStoreClustered}) with {metadata.ThreadPoolSize} threads.");
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var round = await PeerRound.MeasureAsync(system, async jobs =>
        {
            for (var i = 0; i < jobs; i++)
            {
                var job = JobBuilder.Create<QuartzTrivialJob>().WithIdentity($"job-{i}").UsingJobData(QuartzTrivialJob.Argument, i).Build();
                await scheduler.ScheduleJob(job, TriggerBuilder.Create().WithIdentity($"trigger-{i}").StartNow().Build());
            }
        }, async () => (await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup())).Count == 0, postgres);
        await scheduler.Shutdown(waitForJobsToComplete: true);
        return round;
    }
}
