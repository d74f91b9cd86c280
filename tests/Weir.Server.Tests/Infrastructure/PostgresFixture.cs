using System.Diagnostics;
using Npgsql;

namespace Weir.Server.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL for the whole test run: the cluster named by <c>WEIR_TEST_POSTGRES</c>, else a
/// private one started by <c>tests/infra/postgres.sh</c> (installed with apt-get when missing) and
/// stopped at the end. Each test gets a database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? _clusterDir;
    private int _databases;

    public string AdminConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("WEIR_TEST_POSTGRES") is { Length: > 0 } url)
        {
            AdminConnectionString = Storage.PostgresDialect.ToConnectionString(url);
            return;
        }

        _clusterDir = Path.Combine(Path.GetTempPath(), $"weir-pg-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        AdminConnectionString = (await ScriptAsync("start", _clusterDir).ConfigureAwait(false)).Trim().Split('\n')[^1];
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"weir_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", connection))
        {
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
        {
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_clusterDir is not null)
        {
            await ScriptAsync("stop", _clusterDir).ConfigureAwait(false);
        }
    }

    private static async Task<string> ScriptAsync(string command, string dir)
    {
        var script = Path.Combine(RepositoryRoot.Find(), "tests", "infra", "postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(dir);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/infra/postgres.sh {command} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}");
        }

        return await output.ConfigureAwait(false);
    }
}
