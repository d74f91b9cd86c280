namespace Weir.Server.Auth;

/// <summary>
/// One worker key of <c>WEIR_WORKER_API_KEYS</c>: a worker identity (its name, which the server records on the runs it
/// claims), its key, and the pools it may serve. Several worker processes may share a key; to the server they are one
/// worker that reports its runs under several worker names.
/// </summary>
/// <param name="Name">What the server calls the key (<c>NAME</c> in <c>NAME:KEY@POOLS</c>); never the key itself.</param>
/// <param name="Key">The key's bytes.</param>
/// <param name="Pools">The work pools it may claim from and heart-beat in; <c>*</c> is every pool.</param>
internal sealed record WorkerKey(string Name, byte[] Key, IReadOnlyList<string> Pools)
{
    /// <summary>The format of an entry, as errors and the README state it.</summary>
    public const string Format = "NAME:KEY@POOL[,POOL...] (POOL * for every pool), entries separated by ';'";

    /// <summary>True when the key may serve <paramref name="pool"/>.</summary>
    public bool Serves(string pool) => Pools.Contains("*") || Pools.Contains(pool, StringComparer.Ordinal);

    /// <summary>The pools, for messages.</summary>
    public string PoolList => string.Join(", ", Pools.Select(p => p == "*" ? "every pool (*)" : $"'{p}'"));

    /// <summary>
    /// Reads one entry; a malformed one is an error naming its number and what is wrong (never the key: an entry that
    /// does not parse may be a bare key of the old format).
    /// </summary>
    public static WorkerKey Parse(string entry, int number)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        var at = entry.LastIndexOf('@');
        if (colon <= 0 || at < colon + 2 || at == entry.Length - 1)
        {
            throw new InvalidOperationException(
                $"Entry {number} of WEIR_WORKER_API_KEYS is not {Format}: a worker key names its worker and the pools it serves, e.g. etl:KEY@etl,reports.");
        }

        var name = entry[..colon].Trim();
        if (Storage.NameRule.Problem(name) is { } problem)
        {
            throw new InvalidOperationException($"Entry {number} of WEIR_WORKER_API_KEYS names its worker '{Storage.NameRule.Shown(name)}', which is not a valid name: {problem}; {Storage.NameRule.Text}.");
        }

        var key = entry[(colon + 1)..at];
        if (key.Length < 16)
        {
            throw new InvalidOperationException($"The key of worker '{name}' in WEIR_WORKER_API_KEYS is {key.Length} characters long; use at least 16 random ones (for example: openssl rand -hex 24).");
        }

        var pools = entry[(at + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var pool in pools.Where(p => p != "*"))
        {
            if (Storage.NameRule.Problem(pool) is { } poolProblem)
            {
                throw new InvalidOperationException($"Worker '{name}' in WEIR_WORKER_API_KEYS serves the pool '{Storage.NameRule.Shown(pool)}', which is not a valid name: {poolProblem}; {Storage.NameRule.Text}.");
            }
        }

        return pools.Length == 0
            ? throw new InvalidOperationException($"Worker '{name}' in WEIR_WORKER_API_KEYS serves no pool; list them after '@' ({Format}).")
            : new WorkerKey(name, System.Text.Encoding.UTF8.GetBytes(key), pools);
    }
}
