namespace Weir.Bench;

/// <summary>
/// One run's way through a worker, from what the server recorded: created and Pending (the claim) in the
/// server's clock; the worker's preparation lines (source <c>Weir.Worker</c>: one per pull step as it starts,
/// the compile-cache line once the build is loaded and its structure checked); the flow's Running and
/// Completed states and its task's Running state in the clock of the process that ran it. All on one machine,
/// one system clock. <see cref="Seen"/> is when the bench's poll first read the run Completed.
/// </summary>
internal sealed record RunTimeline(
    DateTimeOffset Created, DateTimeOffset Claimed, DateTimeOffset PrepareStart, DateTimeOffset PrepareEnd,
    DateTimeOffset FlowRunning, DateTimeOffset TaskRunning, DateTimeOffset FlowCompleted, DateTimeOffset Seen)
{
    private const string WorkerSource = "Weir.Worker";

    /// <summary>The phases a run's time is split into, in order: a column title and how to measure it (the phases section says where each starts and ends).</summary>
    public static IReadOnlyList<(string Title, Func<RunTimeline, double> Measure)> Phases { get; } =
    [
        ("claim", t => Ms(t.Created, t.Claimed)),
        ("to the launcher", t => Ms(t.Claimed, t.PrepareStart)),
        ("prepare", t => Ms(t.PrepareStart, t.PrepareEnd)),
        ("start report + hand-over", t => Ms(t.PrepareEnd, t.FlowRunning)),
        ("run", t => Ms(t.FlowRunning, t.FlowCompleted)),
        ("final report", t => Ms(t.FlowCompleted, t.Seen)),
        ("total", t => Ms(t.Created, t.Seen)),
    ];

    /// <summary>Created → first task Running: the pick-up latency.</summary>
    public double PickupMs => Ms(Created, TaskRunning);

    /// <summary>Reads the records of a run that has ended Completed.</summary>
    public static async Task<RunTimeline> ReadAsync(WeirClient client, FlowRunDto run, DateTimeOffset seen)
    {
        var history = await client.RunHistoryAsync(run.Id, default);
        var logs = (await client.LogsAsync(run.Id, 0, 1000, default)).Where(l => l.Source == WorkerSource).ToList();
        var task = (await client.TaskRunsAsync(run.Id, default)).Single();
        var taskRunning = (await client.TaskRunHistoryAsync(task.Id, default)).First(s => s.Type == StateType.Running).Time;
        var running = history.First(s => s.Type == StateType.Running).Time;
        var preparation = logs.Where(l => l.Time <= running).ToList();
        if (preparation.Count == 0)
        {
            throw new InvalidOperationException($"Run {run.Id} has no preparation lines from the worker before it ran; its logs: {string.Join(" | ", logs.Select(l => l.Message))}");
        }

        return new RunTimeline(
            run.Created,
            history.First(s => s.Type == StateType.Pending).Time,
            preparation[0].Time,
            preparation[^1].Time,
            running,
            taskRunning,
            history.Last(s => s.Type == StateType.Completed).Time,
            seen);
    }

    private static double Ms(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalMilliseconds;
}
