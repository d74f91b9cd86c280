namespace Weir.Bench;

/// <summary>
/// The bench's PostgreSQL: Weir.Testing's private cluster (tests/infra/postgres.sh: 127.0.0.1, a free port, fsync off),
/// with a fresh database per case so no case sees another's rows, and the CPU time of the whole cluster: the
/// postmaster's process tree (backends, checkpointer, WAL writer; ended backends through its cutime).
/// </summary>
internal sealed class PostgresCluster(Weir.Testing.PostgresCluster cluster) : IAsyncDisposable
{
    /// <summary>The connection string of its database <c>weir</c>.</summary>
    public string Url => cluster.ConnectionString;

    /// <summary>Measures on SQLite (no database URL), then on a cluster started for it and stopped after; both results.</summary>
    public static async Task<IReadOnlyList<T>> SqliteThenPostgresAsync<T>(string name, Func<string, string?, Task<T>> measure)
    {
        var sqlite = await measure("SQLite", null);
        await using var cluster = await StartAsync(name);
        return [sqlite, await measure("PostgreSQL", cluster.Url)];
    }

    public static async Task<PostgresCluster> StartAsync(string name) => new(await Weir.Testing.PostgresCluster.StartAsync(Repo.TempHome(name)));

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string name) => cluster.CreateDatabaseAsync(name);

    /// <summary>CPU seconds the cluster's processes have used so far.</summary>
    public double CpuSeconds() => ProcessCpu.TreeSeconds(cluster.PostmasterPid());

    public ValueTask DisposeAsync() => cluster.DisposeAsync();
}
