using System.Globalization;
using Npgsql;

namespace Weir.Testing;

/// <summary>
/// A private PostgreSQL cluster from tests/infra/postgres.sh (127.0.0.1, a free port, fsync off, database <c>weir</c>),
/// which can be halted and resumed on the same port (a database outage); disposing stops it and removes its folder.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly InfraServer _script;

    private PostgresCluster(InfraServer script) => _script = script;

    /// <summary>The connection string of its database <c>weir</c>.</summary>
    public string ConnectionString => _script.Url;

    /// <summary>The cluster's folder (data, socket, log).</summary>
    public string Directory => _script.Directory;

    /// <summary>Starts one in <paramref name="directory"/> (default: a new short path under the temp folder, as its socket's path must stay short).</summary>
    public static async Task<PostgresCluster> StartAsync(string? directory = null) =>
        new(await InfraServer.StartAsync("postgres.sh", directory ?? Path.Combine(Path.GetTempPath(), "weir-pg-" + Guid.NewGuid().ToString("N")[..12])).ConfigureAwait(false));

    /// <summary>A new, empty database (an older one of that name is dropped); its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string name) => CreateDatabaseAsync(ConnectionString, name);

    /// <summary>A new, empty database next to the one <paramref name="adminConnectionString"/> names (an older one of that name is dropped); its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string adminConnectionString, string name)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{name}\"", $"CREATE DATABASE \"{name}\"" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the cluster but keeps its data and port (an outage).</summary>
    public Task HaltAsync() => _script.RunAsync("halt");

    /// <summary>Starts a halted cluster again on the same port.</summary>
    public Task ResumeAsync() => _script.RunAsync("resume");

    /// <summary>A plain-text dump of a whole database (pg_dump).</summary>
    public async Task<string> DumpAsync(string database = "weir")
    {
        var bin = Path.GetDirectoryName(System.IO.Directory.GetFiles("/usr/lib/postgresql", "pg_dump", SearchOption.AllDirectories).Order().Last())!;
        var port = (await File.ReadAllTextAsync(Path.Combine(Directory, "port")).ConfigureAwait(false)).Trim();
        return await Shell.RunAsync(Shell.StartInfo(Path.Combine(bin, "pg_dump"), ["-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", database],
            environment: new Dictionary<string, string?> { ["PGPASSWORD"] = "postgres" })).ConfigureAwait(false);
    }

    /// <summary>The postmaster's PID (its process tree is the whole cluster).</summary>
    public int PostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(Directory, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _script.DisposeAsync();
}
