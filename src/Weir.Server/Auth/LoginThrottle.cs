using System.Net;
using System.Net.Sockets;

namespace Weir.Server.Auth;

/// <summary>
/// Limits wrong keys on the login page per client: after <see cref="WeirServerOptions.MaxFailedLogins"/> failures within
/// <see cref="WeirServerOptions.FailedLoginWindow"/>, every attempt from that client is refused until the oldest failure
/// leaves the window. A client is its IP address (after <see cref="WeirServerOptions.ForwardedHeaders"/>), an IPv6
/// client its /64 network, since one host commonly holds a whole /64. Kept in memory, per server process.
/// </summary>
internal sealed class LoginThrottle(WeirServerOptions options)
{
    /// <summary>Beyond this many clients with recent failures, clients whose failures have all left the window are forgotten.</summary>
    private const int PruneAbove = 1000;

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How long <paramref name="client"/> must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress? client)
    {
        var now = options.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_failures.TryGetValue(KeyOf(client), out var failures) || Expire(failures, now) < options.MaxFailedLogins)
            {
                return null;
            }

            return failures.Peek() + options.FailedLoginWindow - now;
        }
    }

    /// <summary>Counts a wrong key from <paramref name="client"/>.</summary>
    public void Failed(IPAddress? client)
    {
        var now = options.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_failures.Count > PruneAbove)
            {
                foreach (var (stale, old) in _failures.ToList())
                {
                    if (Expire(old, now) == 0)
                    {
                        _failures.Remove(stale);
                    }
                }
            }

            var key = KeyOf(client);
            if (!_failures.TryGetValue(key, out var failures))
            {
                _failures[key] = failures = new Queue<DateTimeOffset>();
            }

            failures.Enqueue(now);
        }
    }

    /// <summary>Forgets <paramref name="client"/>'s failures: it knew the key.</summary>
    public void Succeeded(IPAddress? client)
    {
        lock (_lock)
        {
            _failures.Remove(KeyOf(client));
        }
    }

    /// <summary>Drops failures that have left the window; returns how many are left.</summary>
    private int Expire(Queue<DateTimeOffset> failures, DateTimeOffset now)
    {
        while (failures.Count > 0 && now - failures.Peek() >= options.FailedLoginWindow)
        {
            failures.Dequeue();
        }

        return failures.Count;
    }

    private static string KeyOf(IPAddress? client)
    {
        if (client is null)
        {
            return "-";
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client.ToString();
        }

        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
