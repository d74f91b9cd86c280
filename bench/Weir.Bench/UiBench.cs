using System.Text.Json.Nodes;
using Weir.Server;
using Weir.Server.Storage;

namespace Weir.Bench;

/// <summary>
/// The web UI's pages with 10,000 flow runs in the database, on SQLite and on a private PostgreSQL
/// (tests/infra/postgres.sh): the server runs in this process on 127.0.0.1; runs are spread over the
/// last 48 hours across 5 deployments and 7 states (some Late), one run has 50 task runs and 2,000 log
/// lines. Each page is fetched 5 times to warm up, then 30 times; the time is from sending the request
/// until the last byte of the page arrived, so it bounds the server time from above.
/// </summary>
internal static class UiBench
{
    private const int Runs = 10_000;
    private const int Deployments = 5;
    private const int Warmup = 5;
    private const int Samples = 30;

    /// <summary>Runs both databases and returns the markdown section.</summary>
    public static async Task<string> RunAsync()
    {
        var rows = (await PostgresCluster.SqliteThenPostgresAsync("ui-pg", MeasureAsync)).SelectMany(r => r);

        return $"""
            ## Web UI: page times with {Runs:N0} flow runs

            The server in this process on 127.0.0.1 over SQLite and over a private PostgreSQL (`tests/infra/postgres.sh`),
            with {Runs:N0} flow runs spread over the last 48 hours across {Deployments} deployments and seven states
            (some Late); the run page shows a run with 50 task runs and 2,000 log lines. Each page is fetched {Warmup} times
            to warm up, then {Samples} times one after another; the time runs from sending the request until the last byte
            of the HTML arrived (so it bounds the server's render time from above). Target: under 200 ms.

            | database | page | median ms | p95 ms | max ms | HTML KiB |
            |---|---|---|---|---|---|
            {string.Join("\n", rows)}
            """;
    }

    private static async Task<IReadOnlyList<string>> MeasureAsync(string database, string? databaseUrl)
    {
        var clock = new BenchClock();
        var home = Repo.TempHome("ui");
        await using var server = await WeirServer.StartAsync(new WeirServerOptions
        {
            Port = 0,
            WeirHome = home,
            DatabaseUrl = databaseUrl,
            ApiKey = null,
            WorkerApiKeys = [],
            BackgroundServices = false,
            TimeProvider = clock,
        });
        var seeding = Stopwatch.StartNew();
        var (detailRun, deployment) = await SeedAsync(server.Store, clock);
        Console.Error.WriteLine($"ui bench: {database}: seeded {Runs:N0} runs in {seeding.Elapsed.TotalSeconds:0.0} s");

        var pages = new[]
        {
            ("dashboard", "/"),
            ("flows", "/flows"),
            ("deployments", "/deployments"),
            ("deployment", "/deployments/" + deployment),
            ("runs (newest 200)", "/runs"),
            ("runs by state", "/runs?state=Completed"),
            ("runs by flow, deployment, 24 h", $"/runs?flow=bench&deployment={Uri.EscapeDataString(deployment)}&since=24h"),
            ("late runs", "/runs?state=Late"),
            ("run (50 task runs, 2,000 log lines)", $"/runs/{detailRun}"),
            ("run live poll", $"/runs/{detailRun}/live?after=1999"),
            ("work pools", "/work-pools"),
            ("blocks", "/blocks"),
            ("variables", "/variables"),
        };
        using var http = new HttpClient { BaseAddress = server.Url };
        var rows = new List<string>();
        foreach (var (name, path) in pages)
        {
            var times = new List<double>();
            var size = 0;
            for (var i = 0; i < Warmup + Samples; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
                }

                size = body.Length;
                if (i >= Warmup)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            rows.Add($"| {database} | {name} | {Stats.F(Stats.Median(times))} | {Stats.F(Stats.Percentile(times, 0.95))} | {Stats.F(times.Max())} | {Stats.F(size / 1024.0, "0")} |");
        }

        return rows;
    }

    /// <summary>Creates the runs (at past times, through the store's clock) and moves them through their states in batches.</summary>
    private static async Task<(Guid DetailRun, string Deployment)> SeedAsync(IWeirStore store, BenchClock clock)
    {
        var deployments = new List<DeploymentDto>();
        for (var d = 0; d < Deployments; d++)
        {
            var result = await store.UpsertDeploymentAsync(new DeploymentRequest
            {
                FlowName = "bench",
                Name = $"deployment-{d}",
                Entrypoint = "flows/bench.cs:bench",
                PullSteps = [new JsonObject { ["git_clone"] = new JsonObject { ["repository"] = "https://git.example/org/flows.git", ["access_token"] = "{{ weir.blocks.secret.token }}" } }],
                Structure = new FlowStructure("bench", [new ParameterSchema("limit", "int", false, "5")], ["Extract", "Transform", "Load"]),
                WorkPool = "bench",
            }, CancellationToken.None);
            deployments.Add(result.Deployment);
        }

        await store.PutBlockAsync("secret", "token", new JsonObject { ["value"] = "bench-secret" }, CancellationToken.None);
        await store.PutVariableAsync("greeting", "hello", CancellationToken.None);
        await store.HeartbeatAsync("bench", "bench-worker", [], CancellationToken.None);

        var now = DateTimeOffset.UtcNow;
        var random = new Random(42);
        var created = new List<FlowRunDto>(Runs);
        const int Chunk = 500;
        for (var start = 0; start < Runs; start += Chunk)
        {
            // Each chunk is created at its own moment of the last 48 hours, oldest first.
            clock.Fixed = now - TimeSpan.FromHours(48) * (1 - ((double)start / Runs));
            var batch = Enumerable.Range(start, Math.Min(Chunk, Runs - start))
                .Select(i => new NewFlowRun { Deployment = deployments[i % Deployments], Parameters = new JsonObject { ["limit"] = i % 7 } })
                .ToList();
            created.AddRange(await store.CreateRunsAsync(batch, CancellationToken.None));
        }

        clock.Fixed = null;
        foreach (var chunk in created.Chunk(1000))
        {
            var events = new EventBatch();
            foreach (var run in chunk)
            {
                var t = run.Created;
                var roll = random.Next(100);
                if (roll < 90)
                {
                    events.FlowRunStates.Add(new RunStateEvent(run.Id, StateType.Running, null, t.AddSeconds(1)));
                }

                var end = roll switch
                {
                    < 70 => StateType.Completed,
                    < 80 => StateType.Failed,
                    < 85 => StateType.Crashed,
                    < 88 => StateType.Cancelled,
                    < 90 => (StateType?)null, // still running
                    _ => null, // still scheduled; marked Late below
                };
                if (end is { } state)
                {
                    events.FlowRunStates.Add(new RunStateEvent(run.Id, state, state == StateType.Completed ? null : "bench: " + state, t.AddSeconds(3)));
                }
            }

            await store.ApplyBatchAsync(events, CancellationToken.None);
        }

        await store.MarkLateRunsAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        // One run as a busy run looks: 50 task runs with their states, 2,000 log lines.
        var detail = created[^1];
        var detailEvents = new EventBatch();
        var taskStart = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (var i = 0; i < 50; i++)
        {
            var id = Guid.CreateVersion7();
            detailEvents.TaskRuns.Add(new TaskRunDto { Id = id, FlowRunId = detail.Id, TaskName = "Transform", TaskKey = $"Transform-{i}", State = StateType.Completed, StateTime = taskStart.AddSeconds(i + 1) });
            detailEvents.TaskRunStates.Add(new RunStateEvent(id, StateType.Running, null, taskStart.AddSeconds(i)));
            detailEvents.TaskRunStates.Add(new RunStateEvent(id, StateType.Completed, null, taskStart.AddSeconds(i + 1)));
        }

        for (var i = 0; i < 2000; i++)
        {
            detailEvents.Logs.Add(new LogDto(0, detail.Id, null, taskStart.AddMilliseconds(i * 100), "INFO", "stdout", $"bench log line {i}: processed record {i * 17} of the batch"));
        }

        await store.ApplyBatchAsync(detailEvents, CancellationToken.None);
        return (detail.Id, detail.DeploymentName!);
    }

    /// <summary>The system clock, or a fixed time while runs are created in the past.</summary>
    private sealed class BenchClock : TimeProvider
    {
        public DateTimeOffset? Fixed { get; set; }

        public override DateTimeOffset GetUtcNow() => Fixed ?? System.GetUtcNow();
    }
}
