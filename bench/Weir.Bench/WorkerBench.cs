namespace Weir.Bench;

/// <summary>
/// Runs one at a time through a real worker (<c>weir worker start</c>) of each kind: pick-up latency (run
/// created → its first task Running) and where a run's milliseconds go (<see cref="RunTimeline"/>), both from
/// the server's own records of the same runs.
/// </summary>
internal static class WorkerBench
{
    public const int Limit = 4;
    public const int WarmUpRuns = 3;
    private const double InProcessTarget = 15;
    private const double StandbyTarget = 40;
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(5);
    private static readonly WeirMode[] s_modes = [WeirMode.InProcess, WeirMode.Standby, WeirMode.Cold, WeirMode.Reused, WeirMode.GitInProcess];

    /// <summary>The <c>pickup</c> section and the <c>phases</c> section, from one set of runs.</summary>
    public static async Task<(string Pickup, string Phases)> PickupAsync()
    {
        var home = Repo.TempHome("pickup");
        await using var git = await BenchGitServer.StartAsync(home);
        await using var server = await BenchProcesses.StartServerAsync(Path.Combine(home, "server"), null);
        await BenchDeploy.DeployAsync(home, server.Url, s_modes, git);
        var results = new List<(WeirMode Mode, List<RunTimeline> Runs)>();
        foreach (var mode in s_modes)
        {
            await using var worker = await BenchWorker.StartAsync(home, server.Url, mode.Key, ["--limit", $"{Limit}", .. mode.WorkerOptions]);
            using var client = new WeirClient(server.Url);
            var runs = new List<RunTimeline>();
            for (var i = 0; i < WarmUpRuns + BenchCounts.PickupRuns; i++)
            {
                var run = await RunOnceAsync(client, mode, worker, s_poll);
                if (i >= WarmUpRuns)
                {
                    runs.Add(run);
                }

                // A worker between runs, as in use: its standby process has started again.
                await Task.Delay(500);
            }

            results.Add((mode, runs));
        }

        return (PickupSection(results), PhasesSection(results));
    }

    /// <summary>Creates one run, polls it every <paramref name="poll"/> until it ends, checks it Completed, and reads its records.</summary>
    public static async Task<RunTimeline> RunOnceAsync(WeirClient client, WeirMode mode, BenchWorker worker, TimeSpan poll)
    {
        var run = await client.CreateRunAsync("trivial", mode.Key, null, default);
        var clock = Stopwatch.StartNew();
        FlowRunDto current;
        while (true)
        {
            current = (await client.GetRunAsync(run.Id, default))!;
            if (current.State.IsTerminal())
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(2) || worker.HasExited)
            {
                throw new InvalidOperationException($"Run {run.Id} of {mode.Key} did not end within 2 minutes (or its worker exited); worker log:\n{worker.Log}");
            }

            await Task.Delay(poll);
        }

        var seen = DateTimeOffset.UtcNow;
        if (current.State != StateType.Completed)
        {
            throw new InvalidOperationException($"Run {run.Id} of {mode.Key} ended {current.State}: {current.StateMessage}\nworker log:\n{worker.Log}");
        }

        return await RunTimeline.ReadAsync(client, current, seen);
    }

    private static string PickupSection(List<(WeirMode Mode, List<RunTimeline> Runs)> results)
    {
        var latencies = results.ToDictionary(r => r.Mode, r => r.Runs.Select(t => t.PickupMs).ToList());
        var rows = latencies.Select(l =>
            $"| {l.Key.Label} | {Stats.F(Stats.Median(l.Value), "0")} ms | {Stats.F(Stats.Percentile(l.Value, 0.95), "0")} ms | {Stats.F(l.Value.Min(), "0")} ms | {Stats.F(l.Value.Max(), "0")} ms |");
        var inProcess = Stats.Median(latencies[WeirMode.InProcess]);
        var standby = Stats.Median(latencies[WeirMode.Standby]);
        var cold = Stats.Median(latencies[WeirMode.Cold]);
        return $"""
            {BenchCounts.Warning}## Worker pick-up latency

            From a run's creation to its first task Running, both times as the server recorded them. One worker of each
            kind (`weir worker start --limit {Limit}` with the options named) on 127.0.0.1 with one SQLite server, each
            taking a deployment of the one-task flow of its own, the build already cached (warm worker, unchanged code).
            The code is in a local folder (`set_working_directory`), or for the git-stored row in a git repository served on
            127.0.0.1 by `tests/infra/git-server.sh` (a `git_clone` pull step, the worker's mirror checked with one request
            per run). {WarmUpRuns} warm-up runs, then {BenchCounts.PickupRuns} runs one after another, 0.5 s apart, each polled every
            {s_poll.TotalMilliseconds:0} ms until it ended. Targets: in-process ≤ {InProcessTarget:0} ms median, a standby process ≤ {StandbyTarget:0} ms.

            | worker | median | p95 | min | max |
            |---|---|---|---|---|
            {string.Join("\n", rows)}

            In-process: {Stats.F(inProcess, "0")} ms against the {InProcessTarget:0} ms target ({Verdict(inProcess, InProcessTarget)}); a standby process:
            {Stats.F(standby, "0")} ms against {StandbyTarget:0} ms ({Verdict(standby, StandbyTarget)}). A standby process cuts the median to
            {Stats.F(standby / cold, "0.00")}× of starting the process on claim.
            """;
    }

    private static string PhasesSection(List<(WeirMode Mode, List<RunTimeline> Runs)> results)
    {
        var header = "| worker | " + string.Join(" | ", RunTimeline.Phases.Select(p => p.Title)) + " |\n|---|" + string.Concat(RunTimeline.Phases.Select(_ => "---|"));
        var rows = results.Select(r => $"| {r.Mode.Label} | " + string.Join(" | ", RunTimeline.Phases.Select(p => Stats.F(Stats.Median(r.Runs.Select(p.Measure)), "0.0") + " ms")) + " |");
        return $"""
            {BenchCounts.Warning}## Where a run's milliseconds go

            The runs of the pick-up case ({BenchCounts.PickupRuns} per worker, one at a time, the same workers and deployments), split at
            the times the server holds for each run: its creation and its Pending state (the claim), both in the server's
            clock; the worker's preparation lines (one as each pull step starts, and the compile-cache line once the build
            is loaded and its structure checked); the flow run's Running and Completed states, stamped by the process that
            ran it; and the moment the bench, polling the run every {s_poll.TotalMilliseconds:0} ms, first read it Completed. One machine, one
            system clock. Medians per phase, so a row's phases need not add up to its total.

            - claim (created → Pending): the worker's waiting claim (a long poll) is woken by the new run and the server
              marks it Pending.
            - to the launcher (Pending → the first preparation line): the claim's answer reaches the worker; the run gets a
              slot and its run folder.
            - prepare (→ the compile-cache line): the pull steps (`set_working_directory`; or `git_clone` against the worker's
              mirror, which asks the git server once whether the branch moved), the compile-cache lookup and the structure check.
            - start report + hand-over (→ the flow run Running): the process pool sends the run's start (its preparation
              lines and provenance) in one request, then hands the run to a flow process (the standby one, or one it starts
              now), which loads the build and starts the flow; the in-process pool queues the start into its shared sink (no
              request of its own), loads the build into a fresh load context and starts the flow. Nothing records when the
              start report alone is done, so it is not split from the hand-over.
            - run (→ the flow run Completed): the flow engine, its one task included.
            - final report (→ the bench reads it Completed): the run's end reaching the server. The engine flushes its sink
              as the flow ends: the in-process pool's shared sink is woken and sends at once, without holding the run's slot;
              a flow process sends and waits for the answer. Plus up to {s_poll.TotalMilliseconds:0} ms until the bench's next poll.
            - total: created → the bench reads it Completed.

            {header}
            {string.Join("\n", rows)}
            """;
    }

    private static string Verdict(double median, double target) => median <= target ? "met" : "not met";
}
