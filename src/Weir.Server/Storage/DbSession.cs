using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Weir.Server.Storage;

/// <summary>A connection and (for writes) its transaction, with small helpers for parameterized SQL.</summary>
internal sealed class DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    public SqlDialect Dialect { get; } = dialect;

    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = Dialect.ToDb(value);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var items = new List<T>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            items.Add(map(reader));
        }

        return items;
    }

    public async Task<T?> FirstAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters) where T : class =>
        (await QueryAsync(sql, map, parameters).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Runs many statements: in one round trip where the provider batches, else one by one (SQLite is in-process).</summary>
    public async Task ExecuteManyAsync(IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> statements)
    {
        if (statements.Count == 0)
        {
            return;
        }

        if (!Dialect.UseBatches)
        {
            foreach (var (sql, parameters) in statements)
            {
                await ExecuteAsync(sql, parameters).ConfigureAwait(false);
            }

            return;
        }

        for (var start = 0; start < statements.Count; start += 500)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var (sql, parameters) in statements.Skip(start).Take(500))
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = Dialect.ToDb(value);
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Inserts rows with multi-row <c>VALUES</c> lists, a few hundred rows a statement.</summary>
    public async Task InsertRowsAsync(string table, string[] columns, IReadOnlyList<object?[]> rows, string suffix = "")
    {
        var perStatement = Math.Max(1, 900 / columns.Length);
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var chunk = rows.Skip(start).Take(perStatement).ToList();
            var sql = new StringBuilder().Append("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(") VALUES ");
            var parameters = new List<(string, object?)>(chunk.Count * columns.Length);
            for (var row = 0; row < chunk.Count; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < columns.Length; column++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{row}_{column}");
                    sql.Append(column == 0 ? string.Empty : ", ").Append(name);
                    parameters.Add((name, chunk[row][column]));
                }

                sql.Append(')');
            }

            await ExecuteAsync(sql.Append(suffix).ToString(), [.. parameters]).ConfigureAwait(false);
        }
    }
}
