using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Weir.Server.Storage;

/// <summary>
/// SQLite in WAL mode. SQLite has one writer at a time, so writes queue on an in-process lock and
/// each runs in one <c>BEGIN IMMEDIATE</c> transaction: a claim reads and updates its run with no
/// other writer in between, and no write ever waits on SQLite's busy handler.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteDialect(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        FilePath = full;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = 30, Pooling = true }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public string FilePath { get; }

    public override string Name => "sqlite";

    public override string Description => $"SQLite file {FilePath}";

    public override string SkipLocked => string.Empty;

    public override string ForUpdate => string.Empty;

    // Ids are stored as their lowercase 'D' text (see ToDb); the random tail starts at character 25.
    public override string IdTailOf(string column, int length) => string.Create(CultureInfo.InvariantCulture, $"substr({column}, 25, {length})");

    // Times are stored as yyyy-MM-ddTHH:mm:ss.ffffffZ text (see ToDb), so the hour is the first 13 characters.
    public override string HourOf(string column) => $"substr({column}, 1, 13)";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(new DbSession(connection, transaction, this)).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => Truncate(time).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        Guid id => id.ToString("D"),
        bool flag => flag ? 1 : 0,
        Enum e => e.ToString(),
        _ => value,
    };

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
