namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <summary>The longest variable value kept.</summary>
    public const int MaxVariableValue = 64 * 1024;

    /// <inheritdoc />
    public async Task<VariableDto> PutVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        CheckName(name, "name", "variable name");
        if (value.Length > MaxVariableValue)
        {
            throw new StoreException(400, $"A variable's value is at most {MaxVariableValue / 1024} KiB ('value'); put larger data in a block or in storage.", "value");
        }

        return await WriteAsync(async (session, _) =>
        {
            var now = Now;
            await session.ExecuteAsync("""
                INSERT INTO variables (name, value, created, updated) VALUES (@name, @value, @now, @now)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated
                """, ("@name", name), ("@value", value), ("@now", now)).ConfigureAwait(false);
            return new VariableDto(name, value, now);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<VariableDto?> GetVariableAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(s => s.FirstAsync("SELECT * FROM variables WHERE name = @name", r => new VariableDto(r.Text("name"), r.Text("value"), r.Time("updated")), ("@name", name)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<VariableDto>> ListVariablesAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<VariableDto>>(async s =>
        await s.QueryAsync("SELECT * FROM variables ORDER BY name", r => new VariableDto(r.Text("name"), r.Text("value"), r.Time("updated"))).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteVariableAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(async (session, _) => await session.ExecuteAsync("DELETE FROM variables WHERE name = @name", ("@name", name)).ConfigureAwait(false) > 0, cancellationToken);
}
