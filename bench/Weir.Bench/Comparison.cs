namespace Weir.Bench;

/// <summary>
/// The "1,000 trivial runs" figures of both systems in one <c>all</c> run, for the ratio table.
/// The Weir case (<c>runs</c>) records its medians with <see cref="RecordWeir"/>; <see cref="HangfireBench"/>
/// records Hangfire's and writes the table, so <c>all</c> runs <c>runs</c> before <c>hangfire</c>.
/// </summary>
internal static class Comparison
{
    /// <summary>Weir's median wall time in ms for 1,000 trivial runs, by database ("SQLite", "PostgreSQL").</summary>
    public static Dictionary<string, double> Weir { get; } = [];

    /// <summary>Hangfire's median wall time in ms for 1,000 jobs, by storage.</summary>
    public static Dictionary<string, double> Hangfire { get; } = [];

    /// <summary>The hook for the Weir case: its median for <see cref="HangfireBench.Jobs"/> trivial runs end to end.</summary>
    public static void RecordWeir(string database, double medianMilliseconds) => Weir[database] = medianMilliseconds;

    public static string RatioTable()
    {
        var header = "| Weir ÷ Hangfire (wall time; above 1 means Weir is slower) | " + string.Join(" | ", Hangfire.Keys) + " |\n|---|" + string.Concat(Hangfire.Keys.Select(_ => "---|"));
        if (Weir.Count == 0)
        {
            return header + "\n| Weir (run `all`, or `runs hangfire`, for this row) |" + string.Concat(Hangfire.Keys.Select(_ => " — |"));
        }

        var rows = Weir.Select(w => $"| Weir, {w.Key}: {Stats.F(w.Value, "0")} ms |" + string.Concat(Hangfire.Values.Select(h => $" {Stats.F(w.Value / h, "0.0")}× |")));
        return header + "\n" + string.Join("\n", rows);
    }
}
