using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Weir.Server.Data;

/// <summary>
/// The SQLite database: WAL mode, migrations at start, and one write at a time (SQLite has a
/// single writer; a lock here makes every write transaction, claims included, atomic without retries).
/// </summary>
internal sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public Database(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Migrate(connection);
    }

    public string Path { get; }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read)
    {
        await using var connection = Open();
        return await read(connection).ConfigureAwait(false);
    }

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var transaction = connection.BeginTransaction();
            var result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value switch
            {
                null => DBNull.Value,
                DateTimeOffset time => Time(time),
                Guid id => id.ToString(),
                bool b => b ? 1 : 0,
                _ => value,
            });
        }

        return command;
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Migrate(SqliteConnection connection)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using var read = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        var current = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= Migrations.Sqlite.Count; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Migrations.Sqlite[version - 1]);
            Execute(connection, transaction, "INSERT INTO schema_version (version) VALUES ($v)", ("$v", version));
            transaction.Commit();
        }
    }
}
