using System.Data;
using System.Data.Common;
using Npgsql;

namespace Weir.Server.Storage;

/// <summary>
/// PostgreSQL through Npgsql. Writes run in read-committed transactions; claims lock the rows they
/// take with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers never take the same run and never
/// wait on each other. A new ready run is announced with <c>NOTIFY</c> on <see cref="Channel"/>.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public const string Channel = "weir_runs";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        ConnectionString = builder.ConnectionString;
        Description = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public string ConnectionString { get; }

    public override string IdTailOf(string column, int length) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"substr({column}::text, 25, {length})");

    public override string HourOf(string column) => $"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')";

    public override string Name => "postgres";

    public override string Description { get; }

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string ForUpdate => " FOR UPDATE";

    public override bool UseBatches => true;

    /// <summary>True when <paramref name="text"/> is a PostgreSQL URL or key-value connection string (what <c>WEIR_DATABASE_URL</c> may hold).</summary>
    public static bool IsPostgres(string? text) =>
        text is not null && (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Host=", StringComparison.OrdinalIgnoreCase));

    /// <summary>Turns <c>postgresql://user:password@host:port/database?sslmode=…</c> into Npgsql's key-value form; key-value text passes through.</summary>
    public static string ToConnectionString(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
        };
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user);
        }

        if (uri.UserInfo.Split(':', 2) is [_, var password])
        {
            builder.Password = Uri.UnescapeDataString(password);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, string.Empty);
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
        }

        return builder.ConnectionString;
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(new DbSession(connection, transaction, this)).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                // Two writers crossed (e.g. both inserting the same new work pool); the whole transaction runs again.
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public override object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => Truncate(time),
        bool flag => flag ? 1 : 0,
        Enum e => e.ToString(),
        _ => value,
    };

    public override async Task NotifyAsync(DbSession session, string pool) =>
        await session.ExecuteAsync($"SELECT pg_notify('{Channel}', @pool)", ("@pool", pool)).ConfigureAwait(false);

    /// <summary>Opens a connection that is not part of the pool's transactions, for <c>LISTEN</c>.</summary>
    public Task<NpgsqlConnection> OpenListenerAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, KeepAlive = 30 };
        return OpenAsync(builder.ConnectionString, cancellationToken);

        static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
    }

    public override async ValueTask DisposeAsync() => await _dataSource.DisposeAsync().ConfigureAwait(false);
}
