namespace Weir.Bench;

/// <summary>
/// Many trivial runs through one worker of each kind, on SQLite and on PostgreSQL: wall time from the first
/// create to the last run's Completed state as the server records it, and the CPU time of every process
/// involved (<see cref="ProcessCpu"/>). Each row a fresh server (and database); its medians go to
/// <see cref="Comparison"/> for the table against Hangfire and Quartz.NET.
/// </summary>
internal static class ThroughputBench
{
    /// <summary>Creates in flight at once, as several clients would send them.</summary>
    private const int CreateParallelism = 8;
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(30);

    private static readonly (WeirMode Mode, bool Postgres)[] s_rows =
    [
        (WeirMode.InProcess, false), (WeirMode.InProcess, true),
        (WeirMode.Reused, false), (WeirMode.Reused, true),
        (WeirMode.Standby, false), (WeirMode.Standby, true),
        (WeirMode.GitInProcess, false),
    ];

    public static async Task<string> RunAsync()
    {
        var rows = new List<string>();
        await using (var postgres = await PostgresCluster.StartAsync("runs-pg"))
        {
            foreach (var (mode, onPostgres) in s_rows)
            {
                rows.Add(await MeasureAsync(mode, onPostgres ? postgres : null));
            }
        }

        var runs = BenchCounts.Runs;
        return $"""
            {BenchCounts.Warning}## Throughput: {runs:N0} trivial runs through one worker

            {runs:N0} runs of the one-task flow created through the API ({CreateParallelism} requests in flight at once, as clients
            create them); one worker (`weir worker start --limit {WorkerBench.Limit}` with the options named) runs them. Each row
            has a fresh `weir server start` on 127.0.0.1 (SQLite, or a new database in a private PostgreSQL cluster from
            `tests/infra/postgres.sh`), {WorkerBench.WarmUpRuns} warm-up runs, and a second of idle before the clock starts. The git-stored row
            clones from a repository served on 127.0.0.1 by `tests/infra/git-server.sh` (the worker's mirror is checked
            with one request per run).

            Timing: from just before the first create is sent until the latest Completed time among the {runs:N0} runs as the
            server records it (the flow's own timestamp when it ended), so the figure does not depend on how often the bench
            looks. The bench finds the end cheaply: it reads the last-created run every {s_poll.TotalMilliseconds:0} ms until it has ended, then
            asks every {s_poll.TotalMilliseconds:0} ms for one run of the deployment still Scheduled, Pending or Running (in that order, so a run
            moving on is not missed) until there is none; then it lists the runs once and checks all {runs:N0} Completed.
            "seen after" is how much later the bench saw that (the last reports arriving, and polling).

            CPU per run: CPU seconds used between the clock's start and the end being seen, over {runs:N0}, read from
            `/proc/PID/stat` (utime + stime; see `ProcessCpu`): the worker's process tree (the worker's threads; the flow
            processes and git commands it started, ended ones through its cutime + cstime, live ones such as the standby or
            reused processes read directly), the server's process, the PostgreSQL cluster's processes (the postmaster's tree),
            and the bench process itself as the client that creates runs and polls. The git server's processes are not counted.

            | worker | database | wall time | runs/s | wall per run | seen after | CPU per run | worker + flow processes | server | PostgreSQL | client (bench) |
            |---|---|---|---|---|---|---|---|---|---|---|
            {string.Join("\n", rows)}

            {Ratios()}
            """;
    }

    /// <summary>Each mode's wall time as a ratio of the default process pool's on the same database.</summary>
    private static string Ratios()
    {
        string For(string database) =>
            Comparison.Weir.TryGetValue(Key(WeirMode.Standby, database), out var standby)
                ? string.Join(", ", new[] { WeirMode.InProcess, WeirMode.Reused, WeirMode.GitInProcess }
                    .Where(m => Comparison.Weir.ContainsKey(Key(m, database)))
                    .Select(m => $"{m.Key} {Stats.F(Comparison.Weir[Key(m, database)].WallMs / standby.WallMs, "0.000")}"))
                : "—";
        return $"Wall time as a ratio of the default process pool's (a process per run): on SQLite {For("SQLite")}; on PostgreSQL {For("PostgreSQL")}.";
    }

    private static string Key(WeirMode mode, string database) => $"{mode.Key}, {database}";

    private static async Task<string> MeasureAsync(WeirMode mode, PostgresCluster? postgres)
    {
        var database = postgres is null ? "SQLite" : "PostgreSQL";
        var home = Repo.TempHome("runs-" + mode.Key);
        var databaseUrl = postgres is null ? null : await postgres.CreateDatabaseAsync("weir_" + mode.Key.Replace('-', '_'));
        await using var git = mode.GitStored ? await BenchGitServer.StartAsync(home) : null;
        await using var server = await BenchProcesses.StartServerAsync(Path.Combine(home, "server"), databaseUrl);
        await BenchDeploy.DeployAsync(home, server.Url, [mode], git);
        await using var worker = await BenchWorker.StartAsync(home, server.Url, mode.Key, ["--limit", $"{WorkerBench.Limit}", .. mode.WorkerOptions]);
        using var client = new WeirClient(server.Url);
        for (var i = 0; i < WorkerBench.WarmUpRuns; i++)
        {
            await WorkerBench.RunOnceAsync(client, mode, worker, s_poll);
        }

        // Started and idle before the clock, as the Hangfire and Quartz.NET servers are; a standby process has started again.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var runs = BenchCounts.Runs;
        var meters = new List<(string, Func<double>)> { CpuWindow.Bench, ("worker", worker.CpuSeconds), ("server", server.CpuSeconds) };
        if (postgres is not null)
        {
            meters.Add(("database", postgres.CpuSeconds));
        }

        var cpu = CpuWindow.Start([.. meters]);
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var created = new FlowRunDto[runs];
        await Parallel.ForAsync(0, runs, new ParallelOptions { MaxDegreeOfParallelism = CreateParallelism }, async (i, ct) =>
            created[i] = await client.CreateRunAsync("trivial", mode.Key, null, ct));
        await WaitForEndAsync(client, mode, created, worker, clock);
        var seen = start + clock.Elapsed;
        var used = cpu.Stop();

        var ids = created.Select(r => r.Id).ToHashSet();
        var ended = (await client.ListRunsAsync(Math.Min(10_000, runs + (2 * WorkerBench.WarmUpRuns)), mode.Deployment, null, null, null, default))
            .Where(r => ids.Contains(r.Id)).ToList();
        var bad = ended.FirstOrDefault(r => r.State != StateType.Completed);
        if (ended.Count != runs || bad is not null)
        {
            throw new InvalidOperationException($"{ended.Count} of {runs} runs of {mode.Key} listed" + (bad is null ? "." : $"; run {bad.Id} is {bad.State}: {bad.StateMessage}") + $"\nworker log:\n{worker.Log}");
        }

        var end = ended.Max(r => r.StateTime);
        var wall = (end - start).TotalMilliseconds;
        var cpuMs = used.Values.Sum() * 1000;
        Comparison.RecordWeir(Key(mode, database), new Figure(wall, cpuMs));
        string PerRun(string meter) => used.TryGetValue(meter, out var seconds) ? Stats.Ms(seconds * 1000 / runs) : "—";
        return $"| {mode.Label} | {database} | {Stats.F(wall / 1000, "0.00")} s | {Stats.F(runs / (wall / 1000), "0")} | {Stats.Ms(wall / runs)} | {Stats.F((seen - end).TotalMilliseconds, "0")} ms "
            + $"| {Stats.Ms(cpuMs / runs)} | {PerRun("worker")} | {PerRun("server")} | {PerRun("database")} | {PerRun("bench")} |";
    }

    /// <summary>Waits until none of the created runs is still to run or running, failing early when one fails or the worker exits.</summary>
    private static async Task WaitForEndAsync(WeirClient client, WeirMode mode, FlowRunDto[] created, BenchWorker worker, Stopwatch clock)
    {
        // Claims go in order of expected start, so the last-created run is among the last to end: one cheap read per poll until then.
        var last = created.MaxBy(r => r.Created)!;
        while (!(await client.GetRunAsync(last.Id, default))!.State.IsTerminal())
        {
            await PauseAsync();
        }

        while (await AnyAsync(StateType.Scheduled) || await AnyAsync(StateType.Pending) || await AnyAsync(StateType.Running))
        {
            await PauseAsync();
        }

        async Task<bool> AnyAsync(StateType state) => (await client.ListRunsAsync(1, mode.Deployment, null, state, null, default)).Count > 0;

        async Task PauseAsync()
        {
            if (worker.HasExited || clock.Elapsed > s_deadline)
            {
                throw new InvalidOperationException($"The runs of {mode.Key} did not end within {s_deadline.TotalMinutes:0} minutes (or the worker exited); worker log:\n{worker.Log}");
            }

            await Task.Delay(s_poll);
        }
    }
}
