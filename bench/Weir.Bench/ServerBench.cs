using Weir.Engine;
using Weir.Worker.Hosting;

namespace Weir.Bench;

/// <summary>
/// The server through its HTTP API, on SQLite and on a private PostgreSQL (tests/infra/postgres.sh):
/// state transitions per second reported by a real engine through the batching <see cref="ServerRunSink"/>,
/// and long-poll wake-up (run created → claim returned). The server is the published <c>weir server start</c>.
/// </summary>
internal static class ServerBench
{
    private const int Tasks = 5000;
    private const int Wakeups = 100;

    /// <summary>Runs both databases and returns the markdown section.</summary>
    public static async Task<string> RunAsync()
    {
        var rows = await PostgresCluster.SqliteThenPostgresAsync("pg", MeasureAsync);

        return $"""
            ## Server: state transitions and long-poll wake-up

            A flow of {Tasks:N0} trivial tasks run by the real engine in this process, reporting through `ServerRunSink`
            (batches every 50 ms or 500 events) to `weir server start` on 127.0.0.1; transitions are the task-run
            state changes the server stored, over the time from flow start until the sink's flush returned.
            Wake-up: a worker's claim is waiting (long poll); the time from sending the request that creates a run
            until the claim returns, {Wakeups} times. PostgreSQL is a private cluster from `tests/infra/postgres.sh`.

            | database | state transitions/s | task runs/s | HTTP batches | wake-up median | wake-up p95 |
            |---|---|---|---|---|---|
            {string.Join("\n", rows)}
            """;
    }

    private static async Task<string> MeasureAsync(string name, string? databaseUrl)
    {
        await using var server = await BenchProcesses.StartServerAsync(Repo.TempHome("server"), databaseUrl);
        using var client = new WeirClient(server.Url);
        await client.DeployAsync(Deployment("bench"), default);
        var (perSecond, tasksPerSecond, batches) = await TransitionsAsync(client);
        var (median, p95) = await WakeupAsync(client);
        return $"| {name} | {Stats.F(perSecond, "N0")} | {Stats.F(tasksPerSecond, "N0")} | {batches} | {Stats.F(median, "0.0")} ms | {Stats.F(p95, "0.0")} ms |";
    }

    private static async Task<(double PerSecond, double TasksPerSecond, long Batches)> TransitionsAsync(WeirClient client)
    {
        var run = await client.CreateRunAsync("bench", "bench", null, default);
        (await client.ClaimAsync("bench", new ClaimRequest("bench-worker", 5), default)).ShouldNotBeNull();
        BenchFlow.Tasks = Tasks;
        var flow = FlowDefinition.FromMethod(typeof(BenchFlow).GetMethod(nameof(BenchFlow.Many))!);
        await using var sink = new ServerRunSink(client);
        var clock = Stopwatch.StartNew();
        await new FlowEngine(sink).RunAsync(flow, new Dictionary<string, object?>(), new FlowRunOptions { FlowRunId = run.Id });
        await sink.FlushAsync(default);
        clock.Stop();
        var tasks = await client.TaskRunsAsync(run.Id, default);
        var perTask = (await client.TaskRunHistoryAsync(tasks[0].Id, default)).Count;
        if (tasks.Count != Tasks || tasks.Any(t => t.State != StateType.Completed))
        {
            throw new InvalidOperationException($"The server holds {tasks.Count} task runs, not {Tasks} Completed ones.");
        }

        var transitions = (double)Tasks * perTask;
        return (transitions / clock.Elapsed.TotalSeconds, Tasks / clock.Elapsed.TotalSeconds, sink.BatchesSent);
    }

    private static async Task<(double Median, double P95)> WakeupAsync(WeirClient creator)
    {
        using var worker = new WeirClient(creator.BaseUrl);
        var latencies = new List<double>();
        for (var i = 0; i < Wakeups + 5; i++)
        {
            var claim = worker.ClaimAsync("bench", new ClaimRequest("waiter", 10), default);
            await Task.Delay(20);
            var clock = Stopwatch.StartNew();
            await creator.CreateRunAsync("bench", "bench", null, default);
            var claimed = await claim;
            clock.Stop();
            if (claimed is null)
            {
                throw new InvalidOperationException("A waiting claim returned without the new run.");
            }

            if (i >= 5)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return (Stats.Median(latencies), Stats.Percentile(latencies, 0.95));
    }

    private static DeploymentRequest Deployment(string pool) => new()
    {
        FlowName = "bench",
        Name = "bench",
        Entrypoint = "bench.cs:bench",
        PullSteps = [],
        Structure = new FlowStructure("bench", [], ["Step"]),
        WorkPool = pool,
    };

    private static void ShouldNotBeNull(this object? value)
    {
        if (value is null)
        {
            throw new InvalidOperationException("The bench run was not claimed.");
        }
    }

    /// <summary>The benchmark's flow: trivial tasks through the engine, as a compiled flow calls them.</summary>
    public static class BenchFlow
    {
        private static readonly TaskDescriptor s_step = new("Step", 0, 0, 0, ["i"]);

        public static int Tasks { get; set; } = 100;

        [Flow("bench")]
        public static int Many()
        {
            var total = 0;
            for (var i = 0; i < Tasks; i++)
            {
                var value = i;
                total += TaskEngine.Run(s_step, [value], () => value);
            }

            return total;
        }
    }
}
