using Npgsql;

namespace Weir.Bench;

/// <summary>
/// A private PostgreSQL cluster from tests/infra/postgres.sh (127.0.0.1, a free port, fsync off), with a
/// fresh database per case so no case sees another's rows, and the CPU time of the whole cluster: the
/// postmaster's process tree (backends, checkpointer, WAL writer; ended backends through its cutime).
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly string s_script = Path.Combine(Repo.Root, "tests", "infra", "postgres.sh");
    private readonly string _directory;

    private PostgresCluster(string directory, string url)
    {
        _directory = directory;
        Url = url;
    }

    /// <summary>The connection string of its database <c>weir</c>.</summary>
    public string Url { get; }

    public static async Task<PostgresCluster> StartAsync(string name)
    {
        var directory = Repo.TempHome(name);
        var url = (await BenchProcesses.ShellAsync(s_script, "start", directory)).Trim().Split('\n')[^1];
        return new PostgresCluster(directory, url);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(Url))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Url) { Database = name }.ConnectionString;
    }

    /// <summary>CPU seconds the cluster's processes have used so far.</summary>
    public double CpuSeconds()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(_directory, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        return ProcessCpu.TreeSeconds(pid);
    }

    public async ValueTask DisposeAsync() => await BenchProcesses.ShellAsync(s_script, "stop", _directory);
}
