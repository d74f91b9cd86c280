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
        Client.WeirHome.Create(Path.GetDirectoryName(full)!);
        CreateOwnerOnly(full);
        FilePath = full;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = 30, Pooling = true }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public string FilePath { get; }

    /// <summary>The database file's mode when others than its owner may read or write it (a file made before Weir created it owner-only), else null.</summary>
    public UnixFileMode? LooseMode =>
        !OperatingSystem.IsWindows() && File.Exists(FilePath) && File.GetUnixFileMode(FilePath) is var mode
            && (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0 ? mode : null;

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

    /// <summary>
    /// Creates the database file empty and owner-only (0600). SQLite would create it 0644 less the umask, and it gives
    /// the -wal and -shm files the mode of the database file, so creating this one first keeps all three private.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another server process created it first.
        }
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
