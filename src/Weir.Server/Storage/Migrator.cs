using System.Globalization;
using System.Reflection;

namespace Weir.Server.Storage;

/// <summary>
/// Applies the numbered SQL scripts embedded for a database (<c>migrations/{dialect}/NNNN_name.sql</c>)
/// that it has not applied yet, each in its own transaction with its version row. On PostgreSQL an
/// advisory lock keeps two servers starting at once from applying a script twice.
/// </summary>
internal static class Migrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(string dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"migrations/{dialect}/";
        List<(int Version, string Name, string Sql)> scripts = [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (version, file, reader.ReadToEnd());
            })
            .OrderBy(s => s.version)];

        // Two scripts with one number would leave the second unapplied forever (its number is already recorded).
        if (scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            throw new InvalidOperationException($"Migrations {string.Join(" and ", clash.Select(s => s.Name))} share the number {clash.Key}; renumber one.");
        }

        return scripts;
    }

    /// <summary>Applies what is missing; returns the versions applied now.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(SqlDialect dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        var scripts = Scripts(dialect.Name.Equals("sqlite", StringComparison.Ordinal) ? "Sqlite" : "Postgres");
        var applied = new List<int>();
        foreach (var (version, name, sql) in scripts)
        {
            var done = await dialect.WriteAsync(async session =>
            {
                if (dialect is PostgresDialect)
                {
                    await session.ExecuteAsync("SELECT pg_advisory_xact_lock(72631)").ConfigureAwait(false);
                }

                await session.ExecuteAsync("CREATE TABLE IF NOT EXISTS weir_schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)").ConfigureAwait(false);
                if (await session.ScalarAsync("SELECT version FROM weir_schema_version WHERE version = @v", ("@v", version)).ConfigureAwait(false) is not null)
                {
                    return false;
                }

                await session.ExecuteAsync(sql).ConfigureAwait(false);
                await session.ExecuteAsync("INSERT INTO weir_schema_version (version, name, applied) VALUES (@v, @n, @t)",
                    ("@v", version), ("@n", name), ("@t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                applied.Add(version);
            }
        }

        return applied;
    }
}
