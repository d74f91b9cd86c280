using System.Diagnostics;
using System.Globalization;
using System.Net;
using Weir.Client;

namespace Weir.FaultTests;

/// <summary>
/// Runs that must execute exactly once whatever happens to workers, the server and the database:
/// real worker processes, the server on PostgreSQL, and a ledger folder where each execution leaves a file named after its run.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LedgerTests(PostgresFixture postgres)
{
    private const int Workers = 8;

    /// <summary>The kill scenario's run count in CI.</summary>
    private const int DefaultChaosRuns = 1000;

    /// <summary>How many runs the kill scenario makes (<c>WEIR_FAULT_RUNS</c>; the default fits CI's time budget on 2 cores).</summary>
    private static int ChaosRuns => int.TryParse(Environment.GetEnvironmentVariable("WEIR_FAULT_RUNS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultChaosRuns;

    /// <summary>The workers' <c>--runs-per-process</c> in the kill scenario: flow processes are reused, as a throughput-minded deployment would.</summary>
    private const int ChaosRunsPerProcess = 50;

    [Fact]
    public async Task EightWorkers_RandomSigkillsAndAServerRestart_NoRunLostNoneExecutedTwice()
    {
        // A half-second pull step keeps each claimed run Pending (claimed, its flow process not started) for a while, so
        // kills aimed at workers holding a Pending run reliably catch one: those runs must crash and be re-run.
        const string slowPull = """
            pull:
            - set_working_directory:
                directory: '{project}'
            - run_shell_script:
                script: sleep 0.5
            """;
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "chaos", retries: 3, workerSilence: TimeSpan.FromSeconds(10), pullSteps: slowPull);
        cluster.RunsPerProcess = ChaosRunsPerProcess;
        for (var i = 0; i < Workers; i++)
        {
            cluster.StartWorker();
        }

        var random = new Random(20261123);
        var clock = Stopwatch.StartNew();
        var ids = await cluster.CreateRunsAsync(ChaosRuns);
        var kills = 0;
        var restartAt = await cluster.ChaosAsync(ids, random, (2500, 5000), TimeSpan.FromSeconds(Math.Max(360, ChaosRuns * 0.6)), clock, async runs =>
        {
            // Prefer a worker that holds a Pending run (claimed, its flow process not started yet): that run is sure
            // to crash with it and must be re-run. Otherwise any worker (its flow process lives on and finishes).
            var pending = runs.Where(r => r.State == StateType.Pending).Select(r => r.Worker).ToHashSet();
            var candidates = cluster.Workers.Where(w => pending.Contains(w.Name)).ToList();
            var victim = candidates.Count > 0 ? candidates[random.Next(candidates.Count)] : cluster.Workers[random.Next(cluster.Workers.Count)];
            await cluster.KillAndReplaceAsync(victim);
            kills++;
        });

        var runs = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(1));
        var elapsed = clock.Elapsed;
        var verdict = LedgerVerdict.Of(ids, runs, cluster.ReadLedger());
        var retried = runs.Where(r => r.RunCount > 1).ToList();
        var crashed = 0;
        foreach (var run in retried)
        {
            crashed += (await cluster.Api.RunHistoryAsync(run.Id, CancellationToken.None)).Any(s => s.Type == StateType.Crashed) ? 1 : 0;
        }

        // The CI count rewrites its section on every run; another count (WEIR_FAULT_RUNS) keeps a section of its own.
        ReliabilityDoc.Write(ChaosRuns == DefaultChaosRuns ? "chaos" : $"chaos-{ChaosRuns}", $"""
            ## {Workers} workers × {ids.Count / Workers:N0} runs, random SIGKILLs and a server restart (PostgreSQL)

            {ids.Count} runs of a flow whose task leaves a file named after its run in a ledger folder, through {Workers} real worker
            processes (`weir worker start --limit 1 --runs-per-process {ChaosRunsPerProcess}`: a flow process runs up to {ChaosRunsPerProcess} runs, one after another;
            a half-second `sleep 0.5` pull step) and the server on a private PostgreSQL.
            Every 2.5–5 s a worker gets SIGKILL (one holding a claimed, not yet started run when there is one, else any) and a new one starts ({kills} kills, {cluster.WorkersStarted} worker
            processes in all); once half the runs had completed the server was stopped and started again
            (at {restartAt.TotalSeconds:0} s). Lost-worker detection after 10 s of silence; deployment retries: 3.

            | runs | lost | executed twice | runs re-run after a crash | wall time | runs/s |
            |---|---|---|---|---|---|
            | {ids.Count} | {verdict.Lost} | {verdict.Doubled.Count} | {crashed} (of {retried.Count} with more than one attempt) | {elapsed.TotalSeconds:0} s | {ids.Count / elapsed.TotalSeconds:0.0} |

            {(ChaosRuns == DefaultChaosRuns
                ? $"CI runs {ids.Count:N0} runs through the 8 workers. The full 8 × 1,000 = 8,000 would take about {8000 / (ids.Count / elapsed.TotalSeconds) / 60:0} minutes at the {ids.Count / elapsed.TotalSeconds:0.0} runs/s measured here (2 cores, the kills, the worker restarts and the half-second pull step), over the suite's 10-minute CI budget, so it is a separate command (its figures are in their own section):"
                : $"This count is a separate command, outside CI's 10-minute budget ({elapsed.TotalMinutes:0} minutes here):")}
            `WEIR_FAULT_RUNS={(ChaosRuns == DefaultChaosRuns ? Workers * 1000 : ChaosRuns)} dotnet test tests/Weir.FaultTests -c Release --filter FullyQualifiedName~EightWorkers`.
            """);
        verdict.ShouldBeClean(Context(cluster));
        kills.ShouldBeGreaterThan(0);
        crashed.ShouldBeGreaterThan(0, "no kill caught a run before its flow process started; the crash-and-retry path was not exercised");
        restartAt.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task ControlExperiment_AClaimHandedToTwoWorkers_IsCaughtByTheLedger()
    {
        DoubleClaimStore broken = null!;
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "broken", decorator: store => DoubleClaimStore.Wrap(store, out broken));
        cluster.StartWorker();
        cluster.StartWorker();
        var ids = await cluster.CreateRunsAsync(24);

        var runs = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(3));
        var verdict = LedgerVerdict.Of(ids, runs, cluster.ReadLedger());

        broken.Doubled.ShouldBeGreaterThan(0);
        verdict.Doubled.Count.ShouldBeGreaterThan(0, "the broken claim handed runs to two workers, so the ledger must show them twice");
        var failure = Should.Throw<ShouldAssertException>(() => verdict.ShouldBeClean(string.Empty));
        failure.Message.ShouldContain("executed more than once");
        ReliabilityDoc.Write("control", $"""
            ## Control: the checks catch a broken claim

            The same scenario with a store wrapper (`WeirServerOptions.StoreDecorator`) that hands every third claimed run
            to another worker's next claim as well, as a claim without its row lock would: of {ids.Count} runs, the broken
            claim doubled {broken.Doubled} and the ledger check reported {verdict.Doubled.Count} run(s) executed twice, so the
            assertion above fails as it must (`{failure.Message.Split('\n')[0]}`).
            """);
    }

    [Fact]
    public async Task PostgresStoppedFor10SecondsUnderLoad_ServerAnswers503AndNothingIsLost()
    {
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "outage", retries: 3);
        for (var i = 0; i < Workers; i++)
        {
            cluster.StartWorker();
        }

        var ids = await cluster.CreateRunsAsync(60);
        var clock = Stopwatch.StartNew();
        while ((await cluster.Api.ListRunsAsync(10_000, null, Cluster.Flow, StateType.Completed, cluster.Pool, CancellationToken.None)).Count < 20)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), "the runs did not start");
            await Task.Delay(200);
        }

        using var probe = new HttpClient { BaseAddress = cluster.Url, Timeout = TimeSpan.FromSeconds(30) };
        var statuses = new List<(HttpStatusCode Status, string? RetryAfter, string Body)>();
        await postgres.Cluster.HaltAsync();
        var down = Stopwatch.StartNew();
        try
        {
            var tenSeconds = Task.Delay(TimeSpan.FromSeconds(10));
            while (!tenSeconds.IsCompleted)
            {
                using var response = await probe.GetAsync("api/flow-runs?limit=5");
                statuses.Add((response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync()));
                await Task.WhenAny(tenSeconds, Task.Delay(500));
            }
        }
        finally
        {
            await postgres.Cluster.ResumeAsync();
        }

        var outage = down.Elapsed;
        var runs = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(4));
        var recovered = clock.Elapsed;
        var verdict = LedgerVerdict.Of(ids, runs, cluster.ReadLedger());
        var unavailable = statuses.Where(s => s.Status == HttpStatusCode.ServiceUnavailable).ToList();
        using var after = await probe.GetAsync("api/flow-runs?limit=5");

        ReliabilityDoc.Write("outage", $"""
            ## PostgreSQL stopped for 10 s under load

            {ids.Count} ledger runs through {Workers} workers; once 20 had completed, PostgreSQL was stopped (`pg_ctl stop -m fast`)
            for {outage.TotalSeconds:0.0} s and started again on the same port. Meanwhile a client asked `GET /api/flow-runs`
            every 0.5 s: {unavailable.Count} of {statuses.Count} answers were 503 with `Retry-After: {unavailable.FirstOrDefault().RetryAfter}`
            ("{(unavailable.Count > 0 ? ProblemMessage(unavailable[0].Body) : "-")}"){Others(statuses.Select(s => s.Status))}. The time includes PostgreSQL's own stop and start.
            Workers and flow processes wait out the 503s (`WeirClient.RetryUnavailable`).

            | runs | lost | executed twice | answers during the outage | 503 with Retry-After | all final after |
            |---|---|---|---|---|---|
            | {ids.Count} | {verdict.Lost} | {verdict.Doubled.Count} | {statuses.Count} | {unavailable.Count(s => s.RetryAfter is not null)} | {recovered.TotalSeconds:0} s |
            """);
        unavailable.Count.ShouldBeGreaterThan(0, string.Join(", ", statuses.Select(s => (int)s.Status)));
        unavailable.ShouldAllBe(s => s.RetryAfter != null);
        statuses.ShouldAllBe(s => s.Status == HttpStatusCode.ServiceUnavailable || s.Status == HttpStatusCode.OK);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        verdict.ShouldBeClean(Context(cluster));
    }

    /// <summary>
    /// While PostgreSQL or the server is down no heart-beat can be recorded, so an outage longer than the
    /// worker silence must not make the server take live workers for lost once it can record them again:
    /// their runs are not crashed (with no retries, a false crash would end them Crashed) and each executes
    /// once. A restarted server's crash detector makes its first pass at once, before any worker is back.
    /// </summary>
    [Fact]
    public async Task PostgresAndServerDownLongerThanWorkerSilence_RunsStillGoingAreNotCrashed()
    {
        var silence = TimeSpan.FromSeconds(4);
        var downFor = TimeSpan.FromSeconds(10);
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "long-outage", retries: 0, workerSilence: silence, slowSeconds: 40);
        cluster.StartWorker(limit: 2);
        var ids = await cluster.CreateRunsAsync(2);
        var clock = Stopwatch.StartNew();
        while ((await cluster.Api.ListRunsAsync(10, null, Cluster.Flow, StateType.Running, cluster.Pool, CancellationToken.None)).Count < ids.Count)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2), "the runs did not start");
            await Task.Delay(100);
        }

        await postgres.Cluster.HaltAsync();
        var down = Stopwatch.StartNew();
        try
        {
            await Task.Delay(downFor);
        }
        finally
        {
            await postgres.Cluster.ResumeAsync();
        }

        var databaseOutage = down.Elapsed;
        await cluster.StopServerAsync();
        down.Restart();
        await Task.Delay(downFor);
        await cluster.StartServerAsync();
        var serverOutage = down.Elapsed;

        var runs = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(2));
        var histories = new List<string>();
        foreach (var id in ids)
        {
            histories.Add(string.Join(" → ", (await cluster.Api.RunHistoryAsync(id, CancellationToken.None)).Select(h => h.Name)));
        }

        var verdict = LedgerVerdict.Of(ids, runs, cluster.ReadLedger());
        ReliabilityDoc.Write("long-outage", $"""
            ## PostgreSQL, then the server, down for longer than the worker silence

            Heart-beats cannot be recorded while the database or the server is down, so the crash detector counts a
            worker's silence only from when they can be again: after the server starts, and after a pass finds the
            database unreachable, it takes no worker for lost for a whole worker silence. {ids.Count} runs of a 40 s
            flow, deployed with no retries, ran on one worker; with both Running, PostgreSQL was stopped for
            {databaseOutage.TotalSeconds:0.0} s, then the server for {serverOutage.TotalSeconds:0.0} s, against a worker
            silence of {silence.TotalSeconds:0} s. Before this rule, the restarted server's first crash-detector pass
            (at start, before the worker was back) marked both runs Crashed.

            | runs | database down | server down | worker silence | crashed | lost | executed twice | state history |
            |---|---|---|---|---|---|---|---|
            | {ids.Count} | {databaseOutage.TotalSeconds:0.0} s | {serverOutage.TotalSeconds:0.0} s | {silence.TotalSeconds:0} s | {histories.Count(h => h.Contains("Crashed", StringComparison.Ordinal))} | {verdict.Lost} | {verdict.Doubled.Count} | {string.Join("; ", histories.Distinct())} |
            """);
        databaseOutage.ShouldBeGreaterThan(silence * 2);
        serverOutage.ShouldBeGreaterThan(silence * 2);
        histories.ShouldAllBe(h => !h.Contains("Crashed"), Context(cluster));
        foreach (var run in runs)
        {
            run.State.ShouldBe(StateType.Completed, Context(cluster));
            run.RunCount.ShouldBe(1);
        }

        verdict.ShouldBeClean(Context(cluster));
    }

    /// <summary>
    /// A flow process outlives its SIGKILLed worker (its own process group); it heart-beats its run in the
    /// worker's name, so the server does not crash and re-run a run that is still going.
    /// </summary>
    [Fact]
    public async Task WorkerKilledDuringARunLongerThanWorkerSilence_TheRunIsNotExecutedTwice()
    {
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "orphan", retries: 3, workerSilence: TimeSpan.FromSeconds(4), slowSeconds: 12);
        var first = cluster.StartWorker();
        var ids = await cluster.CreateRunsAsync(1);
        var clock = Stopwatch.StartNew();
        while ((await cluster.Api.GetRunAsync(ids[0], CancellationToken.None))!.State != StateType.Running)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2));
            await Task.Delay(100);
        }

        await cluster.KillAndReplaceAsync(first);
        var runs = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(15));
        LedgerVerdict.Of(ids, runs, cluster.ReadLedger()).ShouldBeClean(Context(cluster));
    }

    private static string Others(IEnumerable<HttpStatusCode> statuses) =>
        statuses.Where(s => s != HttpStatusCode.ServiceUnavailable).Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)).Distinct().ToList() is { Count: > 0 } others
            ? "; the others " + string.Join(", ", others)
            : string.Empty;

    private static string ProblemMessage(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : body;

    private static string Context(Cluster cluster) =>
        "Server log (tail):\n" + Tail(cluster.ServerLog.Text, 40) + "\nWorker output (tail):\n" + Tail(cluster.WorkerOutput, 60);

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
