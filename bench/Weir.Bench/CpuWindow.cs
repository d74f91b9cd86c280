namespace Weir.Bench;

/// <summary>CPU seconds that a few named meters (a process tree, the bench's own process) count between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal sealed class CpuWindow
{
    private readonly IReadOnlyList<(string Name, Func<double> Read)> _meters;
    private readonly double[] _start;

    private CpuWindow(IReadOnlyList<(string Name, Func<double> Read)> meters)
    {
        _meters = meters;
        _start = [.. meters.Select(m => m.Read())];
    }

    /// <summary>The bench's own process: its threads' CPU time.</summary>
    public static (string Name, Func<double> Read) Bench { get; } = ("bench", () => ProcessCpu.OwnSeconds(Environment.ProcessId));

    public static CpuWindow Start(params (string Name, Func<double> Read)[] meters) => new(meters);

    /// <summary>Seconds each meter counted since the start, by name.</summary>
    public IReadOnlyDictionary<string, double> Stop() =>
        _meters.Select((m, i) => (m.Name, Seconds: m.Read() - _start[i])).ToDictionary(m => m.Name, m => m.Seconds);
}
