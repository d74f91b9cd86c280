using System.Reflection;
using Weir.Client;
using Weir.Server.Storage;

namespace Weir.FaultTests;

/// <summary>
/// A deliberately broken store for the control experiment: every third claimed run is handed, unchanged,
/// to the next claim of another worker too, as a claim without its row lock would. The ledger check
/// must catch it.
/// </summary>
public class DoubleClaimStore : DispatchProxy
{
    private readonly Lock _lock = new();
    private IWeirStore _inner = null!;
    private (string Worker, ClaimedRun Run)? _stash;
    private int _claims;

    public int Doubled { get; private set; }

    public static IWeirStore Wrap(IWeirStore inner, out DoubleClaimStore broken)
    {
        var proxy = Create<IWeirStore, DoubleClaimStore>();
        broken = (DoubleClaimStore)(object)proxy;
        broken._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IWeirStore.ClaimAsync) && args is [string pool, string worker, int max, TimeSpan wait, var key, CancellationToken token])
        {
            return ClaimAsync(pool, worker, max, wait, key as string, token);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, string? key, CancellationToken token)
    {
        lock (_lock)
        {
            if (_stash is { } stash && stash.Worker != worker)
            {
                _stash = null;
                Doubled++;
                return [stash.Run];
            }
        }

        var claimed = await _inner.ClaimAsync(pool, worker, max, wait, key, token).ConfigureAwait(false);
        if (claimed.Count > 0 && Interlocked.Increment(ref _claims) % 3 == 0)
        {
            lock (_lock)
            {
                _stash = (worker, claimed[0]);
            }
        }

        return claimed;
    }
}
