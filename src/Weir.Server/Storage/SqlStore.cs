using System.Globalization;
using System.Text;
using System.Text.Json;
using Weir.Server.Rules;
using Weir.Server.Secrets;

namespace Weir.Server.Storage;

/// <summary>
/// The store over SQL: the same statements on SQLite and PostgreSQL, the differences kept in
/// <see cref="SqlDialect"/>. Every write is one transaction: a refused request leaves no row behind.
/// One file per feature.
/// </summary>
internal sealed partial class SqlStore(SqlDialect dialect, SecretBox secrets, RunSignals signals, TimeProvider time) : IWeirStore
{
    private const int MaxNameLength = NameRule.MaxLength;

    public SqlDialect Dialect { get; } = dialect;

    public StateRuleSet Rules { get; init; } = StateRuleSet.Default;

    /// <inheritdoc />
    public string Description => Dialect.Description;

    private DateTimeOffset Now => SqlDialect.Truncate(time.GetUtcNow());

    /// <summary>Applies migrations and records the built-in block types.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await Migrator.ApplyAsync(Dialect, time, cancellationToken).ConfigureAwait(false);
        await SeedBlockTypesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A write transaction; the pools named in the wake set are told (NOTIFY in the transaction, the in-process signal after commit).</summary>
    private async Task<T> WriteAsync<T>(Func<DbSession, HashSet<string>, Task<T>> work, CancellationToken cancellationToken)
    {
        var wake = new HashSet<string>(StringComparer.Ordinal);
        var result = await Dialect.WriteAsync(async session =>
        {
            wake.Clear();
            var value = await work(session, wake).ConfigureAwait(false);
            foreach (var pool in wake)
            {
                await Dialect.NotifyAsync(session, pool).ConfigureAwait(false);
            }

            return value;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var pool in wake)
        {
            signals.Signal(pool);
        }

        return result;
    }

    private Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken) => Dialect.ReadAsync(read, cancellationToken);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    private static T FromJson<T>(string text) => JsonSerializer.Deserialize<T>(text, ApiJson.Options)!;

    /// <summary>Builds <c>(@x0, @x1, …)</c> for an IN list.</summary>
    private static (string Sql, (string, object?)[] Parameters) InList<T>(string prefix, IReadOnlyList<T> values)
    {
        var sql = new StringBuilder("(");
        var parameters = new (string, object?)[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@{prefix}{i}");
            sql.Append(i == 0 ? string.Empty : ", ").Append(name);
            parameters[i] = (name, values[i]);
        }

        return (sql.Append(')').ToString(), parameters);
    }

    /// <summary>Refuses a missing name, or one outside <see cref="NameRule"/>, stating the rule.</summary>
    private static void CheckName(string? name, string field, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new StoreException(400, $"The request needs {what} ('{field}').", field);
        }

        if (NameRule.Problem(name) is { } problem)
        {
            throw new StoreException(400, $"'{NameRule.Shown(name)}' is not a valid {what} ('{field}'): {problem}; {NameRule.Text}.", field);
        }
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
