using System.Security.Cryptography;
using System.Text;

namespace Weir.Server.Auth;

/// <summary>The admin key and the worker keys (each bound to its pools); compares in constant time.</summary>
internal sealed class ApiKeys
{
    private readonly byte[]? _admin;
    private readonly WorkerKey[] _workers;

    public ApiKeys(string? admin, IReadOnlyList<string> workers)
    {
        _admin = admin is { Length: > 0 } ? Encoding.UTF8.GetBytes(admin) : null;
        _workers = [.. workers.Select(w => w.Trim()).Where(w => w.Length > 0).Select((w, i) => WorkerKey.Parse(w, i + 1))];
        if (_admin is null && _workers.Length > 0)
        {
            throw new InvalidOperationException("Worker API keys (WEIR_WORKER_API_KEYS) are set but no admin key: set WEIR_API_KEY too, or nobody could manage the server.");
        }

        if (_workers.GroupBy(w => w.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"WEIR_WORKER_API_KEYS names the worker '{twice.Key}' {twice.Count()} times; each worker key has a name of its own.");
        }

        if (_workers.Any(w => _admin is not null && CryptographicOperations.FixedTimeEquals(w.Key, _admin))
            || _workers.GroupBy(w => Convert.ToBase64String(w.Key)).Any(g => g.Count() > 1))
        {
            throw new InvalidOperationException("A key in WEIR_WORKER_API_KEYS is also the admin key or another worker's: give every worker and the admin a key of its own.");
        }
    }

    /// <summary>True when no key is configured: the server answers on loopback only and every caller is admin.</summary>
    public bool Open => _admin is null;

    /// <summary>
    /// What the server stores for a web UI session whose cookie holds <paramref name="token"/>: an HMAC of it under the
    /// admin key, so the database never holds a usable cookie and a new admin key ends every session. Null on an open server.
    /// </summary>
    public string? SessionHash(string token) => _admin is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(_admin, Encoding.UTF8.GetBytes(token)));

    public ApiRole RoleOf(string? presented) => CallerOf(presented).Role;

    /// <summary>The caller a key (not a run token) makes: the admin, one worker, or nobody.</summary>
    public Caller CallerOf(string? presented)
    {
        if (Open)
        {
            return Caller.Admin;
        }

        if (presented is null)
        {
            return Caller.Anonymous;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        if (CryptographicOperations.FixedTimeEquals(bytes, _admin))
        {
            return Caller.Admin;
        }

        WorkerKey? worker = null;
        foreach (var key in _workers)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, key.Key))
            {
                worker = key;
            }
        }

        return worker is null ? Caller.Anonymous : new Caller(ApiRole.Worker, worker);
    }
}
