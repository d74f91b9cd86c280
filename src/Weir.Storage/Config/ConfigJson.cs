using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Storage.Config;

/// <summary>Converts configuration to JSON for storage on the server, and back.</summary>
public static class ConfigJson
{
    /// <summary>The node as JSON.</summary>
    public static JsonNode? ToJson(ConfigNode node) => ToJson(node.ToPlain());

    /// <summary>A plain value tree as JSON.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, ToJson(e.Value)))),
        IDictionary<string, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, ToJson(e.Value)))),
        IEnumerable<object?> list => new JsonArray([.. list.Select(ToJson)]),
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>Reads JSON back into a node; every node gets <paramref name="location"/> with its path appended.</summary>
    public static ConfigNode FromJson(JsonNode? json, SourceLocation location) => json switch
    {
        null => new ConfigScalar(null, location),
        JsonObject obj => new ConfigMap([.. obj.Select(e => KeyValuePair.Create(e.Key, FromJson(e.Value, location with { Source = location.Source + $", '{e.Key}'" })))], location),
        JsonArray array => new ConfigList([.. array.Select((item, i) => FromJson(item, location with { Source = location.Source + $"[{i}]" }))], location),
        JsonValue value => new ConfigScalar(Scalar(value), location),
        _ => throw new ConfigException(location, "unexpected JSON value."),
    };

    /// <summary>Reads a plain value tree into a node.</summary>
    public static ConfigNode FromPlain(object? value, SourceLocation location) => FromJson(ToJson(value), location);

    private static object? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetValue<long>(out var l) => l,
        JsonValueKind.Number when value.TryGetValue<int>(out var i) => (long)i,
        JsonValueKind.Number when value.TryGetValue<double>(out var d) => d,
        JsonValueKind.Number => double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
