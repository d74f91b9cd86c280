using System.Diagnostics;

namespace Weir.Bench;

/// <summary>A running <c>weir worker start</c>; disposing stops it (and so its children).</summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private BenchWorker(string home, Uri server, string pool, IEnumerable<string> options)
    {
        _process = BenchProcesses.Start(BenchProcesses.Weir, ["worker", "start", "--pool", pool, "--name", "bench-" + pool, .. options], Repo.Root, new()
        {
            ["WEIR_HOME"] = Path.Combine(home, "worker-" + pool),
            ["WEIR_API_URL"] = server.ToString().TrimEnd('/'),
        }, line =>
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        });
        Pid = _process.Id;
    }

    /// <summary>The worker's process (<c>./weir</c> execs the published CLI, so this is the worker itself).</summary>
    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines.TakeLast(40));
            }
        }
    }

    public static Task<BenchWorker> StartAsync(string home, Uri server, string pool, IEnumerable<string> options) =>
        Task.FromResult(new BenchWorker(home, server, pool, options));

    /// <summary>CPU seconds of the worker, the flow processes it ran and waited for, and those still running.</summary>
    public double CpuSeconds() => ProcessCpu.TreeSeconds(Pid);

    public async ValueTask DisposeAsync()
    {
        await BenchProcesses.StopAsync(_process);
        _process.Dispose();
    }
}
