using System.Data.Common;

namespace Weir.Server.Storage;

/// <summary>
/// What differs between the databases the SQL store runs on: connections, how a write transaction
/// starts, value conversion, the claim query's locking clause and notifications. The SQL itself is
/// shared (both take <c>@name</c> parameters, <c>ON CONFLICT</c>, <c>RETURNING</c> and <c>LIMIT</c>).
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>: also the folder of its migrations.</summary>
    public abstract string Name { get; }

    /// <summary>Where the data lives, for messages (a file, or a host and database without the password).</summary>
    public abstract string Description { get; }

    /// <summary>The clause that makes concurrent claimers skip each other's rows (empty where writes are serialized anyway).</summary>
    public abstract string SkipLocked { get; }

    /// <summary>The clause that locks a selected row until the transaction ends (empty where writes are serialized anyway).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>An expression giving the first <paramref name="length"/> digits of the last group of an id column (its random tail).</summary>
    public abstract string IdTailOf(string column, int length);

    /// <summary>An expression giving a flow run's short id (<see cref="Weir.Client.FlowRunDto.ShortId"/>) from its id column, as the index <c>flow_runs_short_id</c> has it.</summary>
    public string ShortIdOf(string column) => IdTailOf(column, 8);

    /// <summary>An expression giving a time column's hour (UTC) as text, <c>yyyy-MM-ddTHH</c>, alike on every database.</summary>
    public abstract string HourOf(string column);

    /// <summary>Opens a connection.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it; retried on transient conflicts.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Converts a value to what the provider stores.</summary>
    public abstract object ToDb(object? value);

    /// <summary>Queues a wake-up of a pool's waiting claimers, sent when the transaction commits (other server processes).</summary>
    public virtual Task NotifyAsync(DbSession session, string pool) => Task.CompletedTask;

    /// <summary>True when the provider runs a <see cref="DbBatch"/> in one round trip.</summary>
    public virtual bool UseBatches => false;

    /// <summary>Runs <paramref name="read"/> on a connection without a transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(new DbSession(connection, null, this)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Times are kept to the microsecond (PostgreSQL's precision) on every database, so both answer alike.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }
}
