using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Weir.Client;
using Weir.Server.Secrets;
using static Weir.Server.Data.Database;

namespace Weir.Server.Data;

/// <summary>Everything the server keeps, over <see cref="Database"/>. One file per feature.</summary>
internal sealed partial class Store(Database database, SecretBox secrets, RunSignals signals, TimeProvider time)
{
    private static readonly JsonSerializerOptions s_json = ApiJson.Options;

    public Database Database { get; } = database;

    private DateTimeOffset Now => time.GetUtcNow();

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, s_json);

    private static T FromJson<T>(string text) => JsonSerializer.Deserialize<T>(text, s_json)!;

    private static string? Text(SqliteDataReader reader, string column) => reader[column] is string s ? s : null;

    private static async Task<List<T>> ListAsync<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            items.Add(map(reader));
        }

        return items;
    }

    private static JsonObject Object(string text) => JsonNode.Parse(text) as JsonObject ?? [];
}
