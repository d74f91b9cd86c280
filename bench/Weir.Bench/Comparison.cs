namespace Weir.Bench;

/// <summary>
/// The "1,000 trivial runs" figures of Weir and its peers in one <c>all</c> run, for the ratio tables.
/// The Weir case (<c>runs</c>) records its figures with <see cref="RecordWeir"/>; <see cref="PeerBench"/>
/// records Hangfire's and Quartz.NET's and writes the tables, so <c>all</c> runs <c>runs</c> before the peers.
/// </summary>
internal static class Comparison
{
    /// <summary>Weir's figures, by mode and database ("in-process, SQLite").</summary>
    public static Dictionary<string, Figure> Weir { get; } = [];

    /// <summary>The peers' median figures, by system and storage.</summary>
    public static Dictionary<string, Figure> Peers { get; } = [];

    /// <summary>The hook for the Weir case: its figures for <see cref="BenchCounts.Runs"/> trivial runs end to end.</summary>
    public static void RecordWeir(string name, Figure figure) => Weir[name] = figure;

    /// <summary>Every Weir figure over every peer's, for wall time and for CPU time.</summary>
    public static string RatioTables() =>
        Table("Weir ÷ peer, wall time (above 1: Weir is slower)", f => f.WallMs, "ms")
        + "\n\n"
        + Table("Weir ÷ peer, CPU time (above 1: Weir uses more)", f => f.CpuMs, "ms CPU");

    private static string Table(string title, Func<Figure, double> value, string unit)
    {
        var header = $"| {title} | " + string.Join(" | ", Peers.Keys) + " |\n|---|" + string.Concat(Peers.Keys.Select(_ => "---|"));
        if (Weir.Count == 0)
        {
            return header + "\n| Weir (run `all`, or `runs hangfire quartz`, for these rows) |" + string.Concat(Peers.Keys.Select(_ => " — |"));
        }

        var rows = Weir.Select(w => $"| Weir, {w.Key}: {Stats.F(value(w.Value), "0")} {unit} |"
            + string.Concat(Peers.Values.Select(p => $" {Ratio(value(w.Value), value(p))} |")));
        return header + "\n" + string.Join("\n", rows);
    }

    private static string Ratio(double weir, double peer) =>
        peer <= 0 ? "—" : Stats.F(weir / peer, weir / peer < 10 ? "0.00" : "0") + "×";
}
