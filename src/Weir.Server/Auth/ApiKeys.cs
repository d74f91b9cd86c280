using System.Security.Cryptography;
using System.Text;

namespace Weir.Server.Auth;

/// <summary>The admin key and the worker keys; compares in constant time.</summary>
internal sealed class ApiKeys
{
    private readonly byte[]? _admin;
    private readonly byte[][] _workers;

    public ApiKeys(string? admin, IReadOnlyList<string> workers)
    {
        _admin = admin is { Length: > 0 } ? Encoding.UTF8.GetBytes(admin) : null;
        _workers = [.. workers.Where(w => w.Length > 0).Select(Encoding.UTF8.GetBytes)];
        if (_admin is null && _workers.Length > 0)
        {
            throw new InvalidOperationException("Worker API keys (WEIR_WORKER_API_KEYS) are set but no admin key: set WEIR_API_KEY too, or nobody could manage the server.");
        }
    }

    /// <summary>True when no key is configured: the server answers on loopback only and every caller is admin.</summary>
    public bool Open => _admin is null;

    /// <summary>
    /// What the server stores for a web UI session whose cookie holds <paramref name="token"/>: an HMAC of it under the
    /// admin key, so the database never holds a usable cookie and a new admin key ends every session. Null on an open server.
    /// </summary>
    public string? SessionHash(string token) => _admin is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(_admin, Encoding.UTF8.GetBytes(token)));

    public ApiRole RoleOf(string? presented)
    {
        if (Open)
        {
            return ApiRole.Admin;
        }

        if (presented is null)
        {
            return ApiRole.Anonymous;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        if (CryptographicOperations.FixedTimeEquals(bytes, _admin))
        {
            return ApiRole.Admin;
        }

        var worker = false;
        foreach (var key in _workers)
        {
            worker |= CryptographicOperations.FixedTimeEquals(bytes, key);
        }

        return worker ? ApiRole.Worker : ApiRole.Anonymous;
    }
}
