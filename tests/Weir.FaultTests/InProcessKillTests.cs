using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Weir.Client;

namespace Weir.FaultTests;

/// <summary>
/// The kill scenario with the in-process pool, where a run's code lives in the worker's process and dies with it.
/// What must hold: no run is lost; a run runs again only when a kill interrupted its code; and a run whose code had
/// finished before the kill, its end not yet reported, is not run again (the worker's run-end journal, replayed by the
/// next worker on the same <c>WEIR_HOME</c>, reports it). Each kill first freezes the worker (SIGSTOP), so the ledger
/// and the journal show exactly which of its runs were where at the kill.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class InProcessKillTests(PostgresFixture postgres)
{
    private const int Workers = 4;

    /// <summary>Each worker's <c>--limit</c>: many runs end close together, so an end is often waiting behind a batch on its way.</summary>
    private const int Limit = 8;

    /// <summary>How long the task sleeps between its started marker and its ledger file: long enough that a kill finds runs in flight.</summary>
    private const int WorkMilliseconds = 200;

    /// <summary>The scenario's run count in CI.</summary>
    private const int DefaultRuns = 1000;

    /// <summary>How many runs it makes (<c>WEIR_FAULT_INPROCESS_RUNS</c>).</summary>
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("WEIR_FAULT_INPROCESS_RUNS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultRuns;

    [Fact]
    public async Task InProcessPool_WorkersFrozenAndSigkilled_NoRunLost_OnlyRunsWhoseCodeWasInterruptedRunAgain()
    {
        var silence = TimeSpan.FromSeconds(15);
        await using var cluster = await Cluster.StartAsync(postgres.Cluster, "inproc-chaos", retries: 10, workerSilence: silence,
            poolType: WorkPoolTypes.InProcess, workMilliseconds: WorkMilliseconds);
        cluster.Limit = Limit;

        // The backlog first: in-process runs end about as fast as one client creates them, which would leave kills nothing to catch.
        var created = new Guid[Runs];
        await Parallel.ForAsync(0, Runs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            created[i] = (await cluster.Api.CreateRunAsync(Cluster.Flow, cluster.Pool, null, ct)).Id);
        var ids = created.ToList();
        var random = new Random(20261124);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Workers; i++)
        {
            cluster.StartWorker();
        }

        var kills = new List<Kill>();
        var restartAt = await cluster.ChaosAsync(ids, random, (1000, 2500), TimeSpan.FromSeconds(Math.Max(240, Runs * 0.3)), clock,
            async _ => kills.Add(await FreezeAndKillAsync(cluster, cluster.Workers[random.Next(cluster.Workers.Count)], clock.Elapsed)));

        var final = await cluster.WaitForFinalAsync(ids, TimeSpan.FromMinutes(2));
        var elapsed = clock.Elapsed;
        var ledger = cluster.ReadLedger();
        var executions = ReadStarted(cluster);
        var verdict = LedgerVerdict.Of(ids, final, ledger);
        var interrupted = kills.SelectMany(k => k.Interrupted.Select(e => e.Run)).ToHashSet();
        var endWindow = kills.SelectMany(k => k.EndWindow).ToList();
        var replayed = kills.SelectMany(k => k.Replayed).ToHashSet();
        var replays = ReplayLines().Matches(cluster.WorkerOutput);

        // Culprits: an execution that started but never finished that no kill interrupted; a run whose code finished more
        // often than once (beyond the executions a kill caught between the code's last act and its end's record); a run whose
        // end only the journal held that was crashed or run again anyway.
        var problems = new List<(Guid Run, string Why)>();
        var interruptedExecutions = kills.SelectMany(k => k.Interrupted).Select(e => e.Name).ToHashSet();
        foreach (var execution in executions.Where(e => !LedgerHas(cluster, e) && !interruptedExecutions.Contains(e.Name)))
        {
            problems.Add((execution.Run, $"execution {execution.Name} in process {execution.Pid} started and never finished, and no kill interrupted it"));
        }

        foreach (var (run, count) in verdict.Doubled)
        {
            var allowed = 1 + endWindow.Count(r => r == run);
            if (count > allowed)
            {
                problems.Add((run, $"its code finished {count} times (the ledger) though no kill caught it in flight {(allowed > 1 ? $"more than {allowed - 1} time(s)" : "after its last act")}"));
            }
        }

        foreach (var run in replayed)
        {
            var history = await cluster.Api.RunHistoryAsync(run, CancellationToken.None);
            if (history.Any(s => s.Type == StateType.Crashed) || ledger.GetValueOrDefault(run) != 1 || executions.Count(e => e.Run == run) != 1)
            {
                problems.Add((run, "its code had finished and its end was in the killed worker's journal, yet it was crashed or run again"));
            }
        }

        var described = new List<string>();
        foreach (var (run, why) in problems.Take(10))
        {
            var history = await cluster.Api.RunHistoryAsync(run, CancellationToken.None);
            described.Add($"{run}: {why}; ledger ×{ledger.GetValueOrDefault(run)}, started in processes [{string.Join(", ", executions.Where(e => e.Run == run).Select(e => e.Pid))}], "
                + $"history {string.Join(" → ", history.Select(h => h.Name ?? h.Type.ToString()))}");
        }

        var reRun = final.Count(r => r.RunCount > 1);
        var section = Runs == DefaultRuns ? "inprocess-chaos" : $"inprocess-chaos-{Runs}";
        ReliabilityDoc.Write(section, $"""
            ## In-process pool: {Workers} workers frozen and SIGKILLed at random, and a server restart (PostgreSQL)

            {ids.Count} ledger runs, created before the workers start, through {Workers} real `weir worker start --type in-process --limit {Limit}`
            workers on one `WEIR_HOME`. The flow's task leaves a started marker naming its process as its first act, sleeps
            {WorkMilliseconds} ms, and creates its ledger file as its last act. In this pool a run's code lives in the worker's process,
            so a SIGKILL interrupts the code in flight: the server's crash detector (worker silence {silence.TotalSeconds:0} s) marks
            those runs Crashed and they run again (retries: 10): at least once, as with Hangfire or Quartz. A run whose code had
            returned is not run again: its end is in the worker's run-end journal before it is reported, and the next worker on
            the same home reports it. Every 1–2.5 s one worker is frozen (SIGSTOP) right after its journal grows; its runs are read
            off the started markers and the ledger, and, once it is SIGKILLed, off its journal and the server; then a replacement
            starts on the same home ({kills.Count} kills, {cluster.WorkersStarted} worker processes in all). Once half the runs had
            completed the server was stopped and started again (at {restartAt.TotalSeconds:0} s).

            | runs | kills | code interrupted (run again) | past the task's last act, flow not yet returned (run again) | ends only the journal held (reported, not run again) | run again otherwise | lost | wall time |
            |---|---|---|---|---|---|---|---|
            | {ids.Count} | {kills.Count} | {interrupted.Count} | {endWindow.Count} | {replayed.Count} ({replays.Count} journal replays logged) | {problems.Count} | {verdict.Lost} | {elapsed.TotalSeconds:0} s |

            Runs in the ledger more than once: {verdict.Doubled.Count}, of which {verdict.Doubled.Keys.Count(endWindow.Contains)} a kill caught between the task's last
            act and the return of the flow's code (until then there is no end to record). {reRun} runs had more than one attempt, most of them claimed and
            held ready by a killed worker without having started.
            {(Runs == DefaultRuns ? "CI runs this count;" : "This count is a separate command;")} another is
            `WEIR_FAULT_INPROCESS_RUNS=N dotnet test tests/Weir.FaultTests -c Release --filter FullyQualifiedName~InProcessKillTests`.
            """);

        var context = Context(cluster);
        verdict.NotCompleted.ShouldBeEmpty($"{verdict.NotCompleted.Count} run(s) not Completed (e.g. {string.Join(", ", verdict.NotCompleted.Take(3))})\n{context}");
        verdict.NeverExecuted.ShouldBeEmpty($"{verdict.NeverExecuted.Count} run(s) never reached the ledger\n{context}");
        verdict.Strangers.ShouldBeEmpty();
        problems.ShouldBeEmpty($"{problems.Count} run(s) ran again though no kill interrupted their code:\n{string.Join('\n', described)}\n{context}");
        kills.Count.ShouldBeGreaterThan(0);
        interrupted.Count.ShouldBeGreaterThan(0, "no kill interrupted a run's code; the crash-and-run-again path was not exercised");
        replayed.Count.ShouldBeGreaterThan(0, "no kill caught a run whose end was recorded but not reported; the journal path was not exercised");
        replays.Count.ShouldBeGreaterThan(0, "no worker logged reporting a stopped worker's journal");
    }

    /// <summary>
    /// Waits (up to 3 s) for the victim's journal to grow, a run's end recorded and likely not yet sent, and freezes it at once; reads which
    /// of its executions were in flight; SIGKILLs it; reads what its journal holds and what the server has; starts a replacement on the same home.
    /// </summary>
    private static async Task<Kill> FreezeAndKillAsync(Cluster cluster, RunningProcess victim, TimeSpan at)
    {
        var pid = victim.Id;
        // Its current journal file (it goes on in a new one every 1,000 ends); a file gone meanwhile ends the wait.
        var journal = Directory.Exists(cluster.Journals)
            ? Directory.EnumerateFiles(cluster.Journals, $"*-{pid}-*.journal").OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        await Task.Run(() =>
        {
            var file = journal is null ? null : new FileInfo(journal);
            if (file is not { Exists: true })
            {
                return;
            }

            var before = file.Length;
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromSeconds(3))
            {
                Thread.Sleep(1);
                file.Refresh();
                if (!file.Exists || file.Length != before)
                {
                    return;
                }
            }
        });
        await Signals.StopAsync(pid);

        // Frozen: nothing of it writes any more. An execution it started is in flight unless the ledger has it.
        var mine = ReadStarted(cluster).Where(e => e.Pid == pid).ToList();
        var interrupted = mine.Where(e => !LedgerHas(cluster, e)).ToList();
        var finished = mine.Where(e => LedgerHas(cluster, e)).Select(e => e.Run).ToHashSet();
        var replayed = new HashSet<Guid>();
        var endWindow = new List<Guid>();
        await cluster.KillAndReplaceAsync(victim, async () =>
        {
            // A request it had sent whole before it froze is still applied; then the server holds everything it will ever get from it.
            await Task.Delay(500);
            var states = (await cluster.Api.ListRunsAsync(10_000, null, Cluster.Flow, null, cluster.Pool, CancellationToken.None)).ToDictionary(r => r.Id, r => r.State);
            var journaled = Directory.EnumerateFiles(cluster.Journals, $"*-{pid}-*.journal")
                .SelectMany(File.ReadAllLines).Select(line => Guid.ParseExact(line.Split('\t')[0], "N")).ToHashSet();
            foreach (var run in finished.Where(r => !states[r].IsTerminal()))
            {
                (journaled.Contains(run) ? (ICollection<Guid>)replayed : endWindow).Add(run);
            }
        });
        return new Kill(at, pid, interrupted, replayed, endWindow);
    }

    private static List<Execution> ReadStarted(Cluster cluster) =>
        [.. Directory.EnumerateFiles(cluster.Started).Select(Path.GetFileName).Select(name =>
        {
            var parts = name!.Split('.');
            return new Execution(Guid.Parse(parts[0]), parts[0] + "." + parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture));
        })];

    private static bool LedgerHas(Cluster cluster, Execution execution) => File.Exists(Path.Combine(cluster.Ledger, execution.Name));

    private static string Context(Cluster cluster) =>
        "Server log (tail):\n" + string.Join('\n', cluster.ServerLog.Text.Split('\n').TakeLast(30)) + "\nWorker output (tail):\n" + string.Join('\n', cluster.WorkerOutput.Split('\n').TakeLast(40));

    [GeneratedRegex(@"Reported (\d+) run end\(s\) a stopped worker had recorded")]
    private static partial Regex ReplayLines();

    /// <summary>One execution of the flow's task: its run, its name in the ledger (<c>RUN.GUID</c>) and the process it ran in.</summary>
    private sealed record Execution(Guid Run, string Name, int Pid);

    /// <summary>What one kill caught: executions in flight, ends only its journal held, and runs between their code's last act and the record of their end.</summary>
    private sealed record Kill(TimeSpan At, int Pid, IReadOnlyList<Execution> Interrupted, IReadOnlySet<Guid> Replayed, IReadOnlyList<Guid> EndWindow);
}
