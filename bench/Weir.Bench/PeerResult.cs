namespace Weir.Bench;

/// <summary>A peer configuration's rounds: its name in the tables and the settings it ran with.</summary>
internal sealed record PeerResult(string Name, string Settings, IReadOnlyList<PeerRound> Rounds)
{
    public double WallMs => Stats.Median(Rounds.Select(r => r.WallMs));

    public Figure Median => new(WallMs, Stats.Median(Rounds.Select(r => r.CpuMs)));
}
