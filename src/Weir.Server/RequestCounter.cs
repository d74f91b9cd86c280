using System.Collections.Concurrent;

namespace Weir.Server;

/// <summary>
/// Counts the API requests a server answers, by caller (the <c>User-Agent</c> product: <c>weir-worker</c>,
/// <c>weir-runner</c>, ...) and route: what a run costs in round trips, which the protocol tests assert on.
/// A request counts when its answer is written, so a long poll counts when it returns.
/// </summary>
internal sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Add(HttpContext context)
    {
        Interlocked.Increment(ref _total);
        var agent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua.Split('/', 2)[0] : "-";
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? string.Empty;
        _counts.AddOrUpdate($"{agent} {context.Request.Method} {route}", 1, static (_, n) => n + 1);
    }
}
