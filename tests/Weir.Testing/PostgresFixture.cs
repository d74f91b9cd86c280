using Npgsql;
using Weir.Server.Storage;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// One PostgreSQL for a test run (a collection fixture derives from this): the database named by
/// <c>WEIR_TEST_POSTGRES</c>, else a private <see cref="PostgresCluster"/> (installed with apt-get when missing)
/// stopped at the end. Each test that asks gets a database of its own.
/// </summary>
public class PostgresFixture : IAsyncLifetime
{
    private PostgresCluster? _cluster;
    private int _databases;

    /// <summary>The connection string of the database new ones are created from.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    /// <summary>The private cluster (to halt, resume or dump); there is none when <c>WEIR_TEST_POSTGRES</c> names the database.</summary>
    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("WEIR_TEST_POSTGRES names the database, so there is no private cluster to halt, resume or dump.");

    /// <summary>Whether <c>WEIR_TEST_POSTGRES</c> may name the database. <value>Defaults to true; a suite that halts its cluster needs a private one.</value></summary>
    protected virtual bool AcceptsExternal => true;

    public async Task InitializeAsync()
    {
        if (AcceptsExternal && Environment.GetEnvironmentVariable("WEIR_TEST_POSTGRES") is { Length: > 0 } url)
        {
            AdminConnectionString = PostgresDialect.ToConnectionString(url);
            return;
        }

        _cluster = await PostgresCluster.StartAsync().ConfigureAwait(false);
        AdminConnectionString = _cluster.ConnectionString;
    }

    /// <summary>A new, empty database; its connection string (pools of at most 40 connections, as many servers share the cluster).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"weir_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        var database = await PostgresCluster.CreateDatabaseAsync(AdminConnectionString, name).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 40 }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}
