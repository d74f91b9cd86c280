namespace Weir.Bench;

/// <summary>What one system took for the comparison's runs: wall time and CPU time (all processes counted), in ms, for all runs together.</summary>
internal sealed record Figure(double WallMs, double CpuMs);
