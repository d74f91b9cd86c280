using System.Collections.Concurrent;

namespace Weir.Server.Storage;

/// <summary>Wakes the long-polling claims of a work pool the moment a run may be ready there (in this process; PostgreSQL's NOTIFY reaches the others).</summary>
internal sealed class RunSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pools = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next signal for <paramref name="pool"/>. Take it before looking for runs, so none is missed.</summary>
    public Task WaitAsync(string pool) => _pools.GetOrAdd(pool, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Signal(string pool)
    {
        if (_pools.TryRemove(pool, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
