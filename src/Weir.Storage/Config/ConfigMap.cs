namespace Weir.Storage.Config;

/// <summary>A mapping, in the order written.</summary>
public sealed record ConfigMap(IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries, SourceLocation Location) : ConfigNode(Location)
{
    /// <summary>Where each key stands (YAML only); errors about a key point here rather than at its value.</summary>
    public IReadOnlyDictionary<string, SourceLocation>? KeyLocations { get; init; }

    /// <summary>Where a key stands, else where its value stands.</summary>
    public SourceLocation LocationOfKey(string key) =>
        KeyLocations is not null && KeyLocations.TryGetValue(key, out var location) ? location : this[key]?.Location ?? Location;

    /// <summary>The value of a key, or null.</summary>
    public ConfigNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

    /// <inheritdoc />
    public override object? ToPlain()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries)
        {
            result[key] = value.ToPlain();
        }

        return result;
    }
}
