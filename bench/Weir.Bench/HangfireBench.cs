using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace Weir.Bench;

/// <summary>
/// The Hangfire side of the comparison (<see cref="PeerBench"/>): Hangfire.InMemory, and Hangfire.PostgreSql
/// with default options and with tuned polling, each round a fresh storage (a new schema on PostgreSQL). The
/// server runs in this process with <see cref="PeerBench.Workers"/> workers.
/// </summary>
internal static class HangfireBench
{
    private static readonly TimeSpan s_tunedPoll = TimeSpan.FromMilliseconds(50);

    public static string Version => typeof(BackgroundJob).Assembly.GetName().Version?.ToString(3) ?? "?";

    public static async Task<IReadOnlyList<PeerResult>> RunAsync(PostgresCluster postgres)
    {
        var defaults = new PostgreSqlStorageOptions();
        return
        [
            new("Hangfire.InMemory", $"`new InMemoryStorage()` defaults; {PeerBench.Workers} workers",
                await RoundsAsync("Hangfire.InMemory", _ => new InMemoryStorage(), null)),
            new("Hangfire.PostgreSql", $"`PostgreSqlStorageOptions` defaults (QueuePollInterval {defaults.QueuePollInterval.TotalSeconds:0} s); {PeerBench.Workers} workers",
                await RoundsAsync("Hangfire.PostgreSql", round => Storage(postgres.Url, $"hf_default_{round}", new PostgreSqlStorageOptions()), postgres)),
            new("Hangfire.PostgreSql, tuned", $"QueuePollInterval {s_tunedPoll.TotalMilliseconds:0} ms; {PeerBench.Workers} workers",
                await RoundsAsync("Hangfire.PostgreSql, tuned", round => Storage(postgres.Url, $"hf_tuned_{round}", new PostgreSqlStorageOptions { QueuePollInterval = s_tunedPoll }), postgres)),
        ];
    }

    private static async Task<List<PeerRound>> RoundsAsync(string system, Func<int, JobStorage> storage, PostgresCluster? postgres)
    {
        var rounds = new List<PeerRound>();
        for (var round = 0; round < BenchCounts.Rounds; round++)
        {
            rounds.Add(await OnceAsync(system, storage(round), postgres));
        }

        return rounds;
    }

    private static PostgreSqlStorage Storage(string connectionString, string schema, PostgreSqlStorageOptions options)
    {
        options.SchemaName = schema;
        options.PrepareSchemaIfNecessary = true;
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    private static async Task<PeerRound> OnceAsync(string system, JobStorage storage, PostgresCluster? postgres)
    {
        var monitoring = storage.GetMonitoringApi();
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = PeerBench.Workers, ServerName = "weir-bench" }, storage);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var client = new BackgroundJobClient(storage);
        return await PeerRound.MeasureAsync(system, jobs =>
        {
            for (var i = 0; i < jobs; i++)
            {
                var n = i;
                client.Enqueue(() => TrivialBody.AddOne(n));
            }

            return Task.CompletedTask;
        }, () => Task.FromResult(monitoring.SucceededListCount() >= BenchCounts.Runs), postgres);
    }
}
