using System.Collections.Concurrent;

namespace Weir.Server.Data;

/// <summary>Wakes long-polling claims of a work pool the moment a run becomes ready there.</summary>
internal sealed class RunSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pools = new(StringComparer.Ordinal);

    public Task WaitAsync(string pool) => _pools.GetOrAdd(pool, _ => New()).Task;

    public void Signal(string pool)
    {
        if (_pools.TryRemove(pool, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
