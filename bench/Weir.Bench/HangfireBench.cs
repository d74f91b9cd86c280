using System.Diagnostics;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;

namespace Weir.Bench;

/// <summary>
/// The Hangfire side of the "1,000 trivial runs" comparison: 1,000 jobs with the same body as Weir's
/// trivial flow (<see cref="TrivialBody.AddOne"/>), timed from the first enqueue until the storage counts
/// 1,000 Succeeded jobs, with Hangfire.InMemory and with Hangfire.PostgreSql (default options, and
/// tuned polling) against a private PostgreSQL cluster from tests/infra/postgres.sh. The server runs
/// in this process with <see cref="Workers"/> workers, the same concurrency as the Weir case's
/// <c>weir worker start --limit 4</c>. The Weir figures come from the <c>runs</c> case in the same
/// <c>all</c> run (<see cref="Comparison"/>); run alone, this section leaves their cells empty.
/// </summary>
internal static class HangfireBench
{
    public const int Jobs = 1000;
    public const int Workers = 4;
    private const int Rounds = 3;
    private static readonly TimeSpan s_tunedPoll = TimeSpan.FromMilliseconds(50);

    public static async Task<string> RunAsync()
    {
        var rows = new List<(string Name, string Settings, List<double> Times)>
        {
            ("Hangfire.InMemory", $"`new InMemoryStorage()` defaults; {Workers} workers", await RoundsAsync(_ => new InMemoryStorage())),
        };

        var postgres = Path.Combine(Repo.Root, "tests", "infra", "postgres.sh");
        var cluster = Repo.TempHome("hf-pg");
        var url = (await BenchProcesses.ShellAsync(postgres, "start", cluster)).Trim().Split('\n')[^1];
        try
        {
            var defaults = new PostgreSqlStorageOptions();
            rows.Add(("Hangfire.PostgreSql", $"`PostgreSqlStorageOptions` defaults (QueuePollInterval {defaults.QueuePollInterval.TotalSeconds:0} s); {Workers} workers",
                await RoundsAsync(round => PostgresStorage(url, $"hf_default_{round}", new PostgreSqlStorageOptions()))));
            rows.Add(("Hangfire.PostgreSql, tuned", $"QueuePollInterval {s_tunedPoll.TotalMilliseconds:0} ms; {Workers} workers",
                await RoundsAsync(round => PostgresStorage(url, $"hf_tuned_{round}", new PostgreSqlStorageOptions { QueuePollInterval = s_tunedPoll }))));
        }
        finally
        {
            await BenchProcesses.ShellAsync(postgres, "stop", cluster);
        }

        foreach (var (name, _, times) in rows)
        {
            Comparison.Hangfire[name] = Stats.Median(times);
        }

        var table = string.Join("\n", rows.Select(r =>
            $"| {r.Name} | {r.Settings} | {Stats.F(Stats.Median(r.Times), "0")} ms | {Stats.F(Jobs / (Stats.Median(r.Times) / 1000), "0")} | {string.Join(", ", r.Times.Select(t => Stats.F(t, "0")))} |"));
        return $"""
            ## 1,000 trivial runs: Weir against Hangfire

            {Jobs:N0} jobs through Hangfire {typeof(BackgroundJob).Assembly.GetName().Version?.ToString(3)} on the same machine in the same
            bench process as the Weir `runs` case (`all`, or `runs hangfire`), Weir one round, Hangfire median of {Rounds} rounds, each round a fresh storage (a new schema on PostgreSQL).
            The clock starts before the first `BackgroundJobClient.Enqueue` and stops when the storage counts
            {Jobs:N0} Succeeded jobs (polled every 20 ms); the job body is the Weir trivial flow's task body (`x + 1`,
            `TrivialBody.AddOne`, plus a call counter). The `BackgroundJobServer` runs in the bench process, started and idle before the
            clock starts. Hangfire runs each job on a thread of its server; Weir runs each flow run in a child
            process (a fresh one per run by default, or one of a few reused ones with `--runs-per-process`) with its own
            compile-cache lookup, states and logs on the server.

            | system | settings | 1,000 runs (median) | runs/s | rounds |
            |---|---|---|---|---|
            {table}

            {Comparison.RatioTable()}
            """;
    }

    private static async Task<List<double>> RoundsAsync(Func<int, JobStorage> storage)
    {
        var times = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            times.Add(await OnceAsync(storage(round)));
        }

        return times;
    }

    private static PostgreSqlStorage PostgresStorage(string connectionString, string schema, PostgreSqlStorageOptions options)
    {
        options.SchemaName = schema;
        options.PrepareSchemaIfNecessary = true;
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    private static async Task<double> OnceAsync(JobStorage storage)
    {
        TrivialBody.Reset();
        var monitoring = storage.GetMonitoringApi();
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = Workers, ServerName = "weir-bench" }, storage);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var client = new BackgroundJobClient(storage);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Jobs; i++)
        {
            var n = i;
            client.Enqueue(() => TrivialBody.AddOne(n));
        }

        var deadline = TimeSpan.FromMinutes(5);
        while (monitoring.SucceededListCount() < Jobs)
        {
            if (clock.Elapsed > deadline)
            {
                throw new InvalidOperationException($"Hangfire finished {monitoring.SucceededListCount()} of {Jobs} jobs in {deadline.TotalMinutes} minutes.");
            }

            await Task.Delay(20);
        }

        clock.Stop();
        if (TrivialBody.Calls != Jobs)
        {
            throw new InvalidOperationException($"The job body ran {TrivialBody.Calls} times for {Jobs} jobs.");
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
