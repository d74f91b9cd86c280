using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Client;

namespace Weir.Bench;

/// <summary>
/// Runs through a real worker (<c>weir worker start</c>) from a deployment with local folder storage:
/// pick-up latency (run created → its first task Running, from the server's own records) and
/// throughput of many trivial runs through one worker.
/// </summary>
internal static class WorkerBench
{
    private const int PickupRuns = 50;
    private const int WarmUpRuns = 3;
    private const int ThroughputRuns = 1000;
    private const int Limit = 4;

    /// <summary>The <c>--runs-per-process</c> of the reused-process rows.</summary>
    private const int ReusedRuns = 100;

    /// <summary>The trivial flow both cases run: one task.</summary>
    public const string TrivialFlow = """
        using Weir;

        public static class Trivial
        {
            [Task]
            public static int AddOne(int x) => x + 1;

            [Flow("trivial")]
            public static int Run(int x = 1) => AddOne(x);
        }
        """;

    public static async Task<string> PickupAsync()
    {
        var home = Repo.TempHome("pickup");
        await using var server = await BenchProcesses.StartServerAsync(Path.Combine(home, "server"), null);
        await DeployAsync(home, server.Url, ["standby", "cold"]);
        var rows = new List<string>();
        var medians = new Dictionary<string, double>();
        foreach (var (pool, standby, label) in new[] { ("standby", 1, "default: one standby process (`--standby 1`)"), ("cold", 0, "a process started per claimed run (`--standby 0`)") })
        {
            await using var worker = await BenchWorker.StartAsync(home, server.Url, pool, ["--limit", $"{Limit}", "--standby", $"{standby}"]);
            using var client = new WeirClient(server.Url);
            var latencies = new List<double>();
            for (var i = 0; i < WarmUpRuns + PickupRuns; i++)
            {
                var latency = await PickupOnceAsync(client, pool, worker);
                if (i >= WarmUpRuns)
                {
                    latencies.Add(latency);
                }

                // A worker between runs, as in use: its standby process has started again.
                await Task.Delay(500);
            }

            medians[pool] = Stats.Median(latencies);
            rows.Add($"| {label} | {Stats.F(Stats.Median(latencies), "0")} ms | {Stats.F(Stats.Percentile(latencies, 0.95), "0")} ms | {Stats.F(latencies.Min(), "0")} ms | {Stats.F(latencies.Max(), "0")} ms |");
        }

        return $"""
            ## Worker pick-up latency

            From a run's creation to its first task Running, both times as the server recorded them. One worker
            (`weir worker start --limit {Limit}`) on 127.0.0.1 with the SQLite server, a deployment with local folder
            storage (`set_working_directory`) of a one-task flow, the build already cached (warm worker, unchanged
            code): {WarmUpRuns} warm-up runs, then {PickupRuns} runs one after another, 0.5 s apart. Goal: median under 250 ms.

            | worker | median | p95 | min | max |
            |---|---|---|---|---|
            {string.Join("\n", rows)}

            A standby process cuts the median to {Stats.F(medians["standby"] / medians["cold"], "0.00")}× of starting the process on claim.
            """;
    }

    public static async Task<string> ThroughputAsync()
    {
        var rows = new List<string>();
        rows.Add(await ThroughputAsync("SQLite", null, 1));
        rows.Add(await ThroughputAsync("SQLite", null, ReusedRuns));
        var postgres = Path.Combine(Repo.Root, "tests", "infra", "postgres.sh");
        var cluster = Repo.TempHome("pg");
        var url = (await BenchProcesses.ShellAsync(postgres, "start", cluster)).Trim().Split('\n')[^1];
        try
        {
            rows.Add(await ThroughputAsync("PostgreSQL", url, 1));
            rows.Add(await ThroughputAsync("PostgreSQL", url, ReusedRuns));
        }
        finally
        {
            await BenchProcesses.ShellAsync(postgres, "stop", cluster);
        }

        return $"""
            ## Throughput: {ThroughputRuns:N0} trivial runs through one worker

            {ThroughputRuns:N0} runs of the one-task flow created at once through the API; one worker with `--limit {Limit}`
            (and its default one standby process) runs them; timed from the first create until the server holds all
            of them Completed. Every run is checked Completed. By default each run has a process of its own
            (`--runs-per-process 1`); with `--runs-per-process {ReusedRuns}` a flow process runs up to {ReusedRuns} runs one after
            another, each in a fresh assembly load context, so the start of a .NET process is paid once per {ReusedRuns} runs.

            | database | worker | wall time | runs/s | per run (wall / runs) |
            |---|---|---|---|---|
            {string.Join("\n", rows)}

            Reused processes, wall time as a ratio of the default's: {ReuseRatio("SQLite")} on SQLite, {ReuseRatio("PostgreSQL")} on PostgreSQL.
            """;
    }

    private static string ReuseRatio(string database) =>
        Comparison.Weir.TryGetValue(database, out var single) && Comparison.Weir.TryGetValue($"{database}, --runs-per-process {ReusedRuns}", out var reused)
            ? Stats.F(reused / single, "0.00")
            : "—";

    private static async Task<string> ThroughputAsync(string database, string? databaseUrl, int runsPerProcess)
    {
        var home = Repo.TempHome("runs");
        await using var server = await BenchProcesses.StartServerAsync(Path.Combine(home, "server"), databaseUrl);
        // Each case its own deployment: the PostgreSQL cases share one database.
        var deployment = runsPerProcess == 1 ? "runs" : "runs-reused";
        await DeployAsync(home, server.Url, [deployment]);
        var flags = runsPerProcess == 1 ? "default: a process per run" : $"`--runs-per-process {runsPerProcess}`";
        await using var worker = await BenchWorker.StartAsync(home, server.Url, deployment, ["--limit", $"{Limit}", "--runs-per-process", $"{runsPerProcess}"]);
        using var client = new WeirClient(server.Url);
        for (var i = 0; i < WarmUpRuns; i++)
        {
            await PickupOnceAsync(client, deployment, worker);
        }

        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, ThroughputRuns, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            await client.CreateRunAsync("trivial", deployment, null, ct));
        using var http = new HttpClient { BaseAddress = server.Url };
        var deadline = TimeSpan.FromMinutes(30);
        while (true)
        {
            var completed = await CountAsync(http, deployment, "Completed");
            if (completed >= ThroughputRuns + WarmUpRuns)
            {
                break;
            }

            foreach (var bad in new[] { "Failed", "Crashed", "Cancelled" })
            {
                if (await CountAsync(http, deployment, bad) > 0)
                {
                    throw new InvalidOperationException($"A throughput run ended {bad}; worker log:\n{worker.Log}");
                }
            }

            if (clock.Elapsed > deadline)
            {
                throw new InvalidOperationException($"Only {completed} of {ThroughputRuns} runs completed within {deadline}.");
            }

            await Task.Delay(250);
        }

        clock.Stop();
        Comparison.RecordWeir(runsPerProcess == 1 ? database : $"{database}, --runs-per-process {runsPerProcess}", clock.Elapsed.TotalMilliseconds);
        var seconds = clock.Elapsed.TotalSeconds;
        return $"| {database} | {flags} | {Stats.F(seconds, "0.0")} s | {Stats.F(ThroughputRuns / seconds, "0.0")} | {Stats.F(seconds * 1000 / ThroughputRuns, "0")} ms |";
    }

    private static async Task<int> CountAsync(HttpClient http, string deployment, string state) =>
        JsonNode.Parse(await http.GetStringAsync($"api/flow-runs?deployment=trivial/{deployment}&state={state}&limit=10000"))!.AsArray().Count;

    /// <summary>Creates one run, waits for it to end Completed, and returns created → first task Running in ms.</summary>
    private static async Task<double> PickupOnceAsync(WeirClient client, string deployment, BenchWorker worker)
    {
        var run = await client.CreateRunAsync("trivial", deployment, null, default);
        var clock = Stopwatch.StartNew();
        FlowRunDto current;
        while (true)
        {
            current = (await client.GetRunAsync(run.Id, default))!;
            if (current.State is StateType.Completed or StateType.Failed or StateType.Crashed or StateType.Cancelled)
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"Run {run.Id} did not end within 2 minutes; worker log:\n{worker.Log}");
            }

            await Task.Delay(10);
        }

        if (current.State != StateType.Completed)
        {
            throw new InvalidOperationException($"Run {run.Id} ended {current.State}: {current.StateMessage}\nworker log:\n{worker.Log}");
        }

        var task = (await client.TaskRunsAsync(run.Id, default))[0];
        var running = (await client.TaskRunHistoryAsync(task.Id, default)).First(s => s.Type == StateType.Running);
        return (running.Time - current.Created).TotalMilliseconds;
    }

    /// <summary>Writes the trivial flow's project with one deployment per pool, and deploys it.</summary>
    private static async Task DeployAsync(string home, Uri server, IReadOnlyList<string> pools)
    {
        var project = Path.Combine(home, "project");
        Directory.CreateDirectory(Path.Combine(project, "flows"));
        await File.WriteAllTextAsync(Path.Combine(project, "flows", "trivial.cs"), TrivialFlow);
        var deployments = string.Join("\n", pools.Select(p => $"""
            - name: {p}
              entrypoint: flows/trivial.cs:trivial
              work_pool:
                name: {p}
            """));
        await File.WriteAllTextAsync(Path.Combine(project, "weir.yaml"), $"""
            name: bench
            pull:
            - set_working_directory:
                directory: {project}
            deployments:
            {deployments}
            """);
        await BenchProcesses.RunAsync(BenchProcesses.Weir, ["deploy", "--all"], project, new()
        {
            ["WEIR_HOME"] = Path.Combine(home, "cli"),
            ["WEIR_API_URL"] = server.ToString().TrimEnd('/'),
        });
    }
}
