namespace Weir.Bench;

/// <summary>A running <c>weir worker start</c>; disposing stops it (and so its children).</summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private BenchWorker(string home, Uri server, string pool, IEnumerable<string> options)
    {
        _process = BenchProcesses.Cli(Path.Combine(home, "worker-" + pool), server).StartWorker(Repo.Root, pool, "bench-" + pool, [.. options]);
        Pid = _process.Id;
    }

    /// <summary>The worker's process (<c>./weir</c> execs the published CLI, so this is the worker itself).</summary>
    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last 40 lines the worker printed.</summary>
    public string Log => _process.Tail(40);

    public static Task<BenchWorker> StartAsync(string home, Uri server, string pool, IEnumerable<string> options) =>
        Task.FromResult(new BenchWorker(home, server, pool, options));

    /// <summary>CPU seconds of the worker, the flow processes it ran and waited for, and those still running.</summary>
    public double CpuSeconds() => ProcessCpu.TreeSeconds(Pid);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
