namespace Weir.Bench;

/// <summary>A running <c>weir server start</c>; disposing stops it.</summary>
internal sealed class BenchServer(RunningProcess process, Uri url) : IAsyncDisposable
{
    public Uri Url { get; } = url;

    /// <summary>CPU seconds the server's process has used so far (<c>./weir</c> execs the published CLI, so the process is the server).</summary>
    public double CpuSeconds() => ProcessCpu.TreeSeconds(process.Id);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
