using Weir.Compiler;
using Weir.Engine;

namespace Weir.Bench;

/// <summary>
/// Per-task overhead: a flow that calls a trivial task 10,000 times, compiled by Weir (so the calls go
/// through the rewritten task methods exactly as in production), against the same loop calling the
/// same body as a plain method.
/// </summary>
internal static class TaskOverheadBench
{
    private const int Tasks = 10_000;
    private const int Rounds = 15;

    private const string Source = """
        using Weir;

        public static class OverheadFlows
        {
            [Task]
            public static int Inc(int x) => x + 1;

            [Task]
            public static Task<int> IncAsync(int x) => Task.FromResult(x + 1);

            public static int PlainInc(int x) => x + 1;

            [Flow("sync-tasks")]
            public static int SyncTasks(int n)
            {
                var x = 0;
                for (var i = 0; i < n; i++) x = Inc(x);
                return x;
            }

            [Flow("async-tasks")]
            public static async Task<int> AsyncTasks(int n)
            {
                var x = 0;
                for (var i = 0; i < n; i++) x = await IncAsync(x);
                return x;
            }

            [Flow("plain-calls")]
            public static int PlainCalls(int n)
            {
                var x = 0;
                for (var i = 0; i < n; i++) x = PlainInc(x);
                return x;
            }
        }
        """;

    public static async Task<string> RunAsync()
    {
        var home = Repo.TempHome("overhead");
        var file = Path.Combine(home, "overhead.cs");
        await File.WriteAllTextAsync(file, Source);
        var build = await new FlowCompiler(new FlowCompilerOptions { WeirHome = home }).CompileAsync(file, CancellationToken.None);
        using var loaded = build.Load();
        var flows = FlowDefinition.FindAll(loaded.Assembly).ToDictionary(f => f.Name);

        var rows = new List<string>();
        var plain = await MeasureAsync(flows["plain-calls"], NullRunSink.Instance);
        foreach (var (flow, sinkName, sink) in new (string, string, IRunSink)[]
        {
            ("sync-tasks", "none (NullRunSink)", NullRunSink.Instance),
            ("sync-tasks", "in-memory (MemoryRunSink)", new MemoryRunSink()),
            ("async-tasks", "none (NullRunSink)", NullRunSink.Instance),
        })
        {
            var perRound = await MeasureAsync(flows[flow], sink);
            var perTaskUs = perRound.Select(ms => (ms - Stats.Median(plain)) * 1000 / Tasks).ToArray();
            rows.Add($"| `{flow}` | {sinkName} | {Stats.F(Stats.Median(perTaskUs), "0.00")} µs | {Stats.F(Stats.Percentile(perTaskUs, 0.9), "0.00")} µs | {Stats.F(Stats.Median(perRound), "0")} ms |");
        }

        return $"""
            ## Per-task overhead

            A flow calls a trivial task ({Tasks:N0} task runs per flow run), compiled by Weir so the calls go through
            the rewritten task methods. Overhead per task = (flow run time − the same loop with plain calls) / {Tasks:N0}.
            {Rounds} measured rounds after 3 warm-up rounds. Each task run gets an id, Pending → Running → Completed
            states with timestamps, a run context, console capture and its arguments recorded. Goal: below 50 µs.

            | flow | sink | overhead per task (median) | p90 | flow run (median) |
            |---|---|---|---|---|
            {string.Join("\n", rows)}

            Plain loop: {Stats.F(Stats.Median(plain), "0.000")} ms per {Tasks:N0} calls.
            """;
    }

    private static async Task<double[]> MeasureAsync(FlowDefinition flow, IRunSink sink)
    {
        var engine = new FlowEngine(sink);
        var parameters = new Dictionary<string, object?> { ["n"] = Tasks };
        var times = new List<double>();
        for (var round = 0; round < Rounds + 3; round++)
        {
            var clock = Stopwatch.StartNew();
            var result = await engine.RunAsync(flow, parameters);
            clock.Stop();
            if (result.State.Type != StateType.Completed || (int)result.Value! != Tasks)
            {
                throw new InvalidOperationException($"Benchmark flow {flow.Name} ended {result.State}.");
            }

            if (round >= 3)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return [.. times];
    }
}
