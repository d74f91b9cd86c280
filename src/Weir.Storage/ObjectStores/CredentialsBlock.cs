using System.Globalization;
using System.Text.Json;

namespace Weir.Storage.ObjectStores;

/// <summary>Reads the fields of a credentials block (a <c>{{ weir.blocks.TYPE.NAME }}</c> mapping) and names it in messages.</summary>
internal sealed class CredentialsBlock
{
    private readonly IReadOnlyDictionary<string, object?> _fields;

    private CredentialsBlock(IReadOnlyDictionary<string, object?> fields, string description)
    {
        _fields = fields;
        Description = description;
    }

    /// <summary>How messages name the block: "the aws-credentials block 'prod'", or by its argument when the name is not known.</summary>
    public string Description { get; }

    /// <summary>
    /// The block given as <c>credentials</c>, or null when none was given. A block of another type than
    /// <paramref name="acceptedTypes"/> is an error naming both.
    /// </summary>
    public static CredentialsBlock? From(IReadOnlyDictionary<string, object?>? fields, string stepName, params string[] acceptedTypes)
    {
        if (fields is null)
        {
            return null;
        }

        var type = fields.TryGetValue("_block_type", out var t) && t is string { Length: > 0 } s ? s : acceptedTypes[0];
        var name = fields.TryGetValue("_block_name", out var n) && n is string { Length: > 0 } bn ? $"'{bn}'" : "given as 'credentials'";
        var description = $"the {type} block {name}";
        return acceptedTypes.Contains(type, StringComparer.Ordinal)
            ? new CredentialsBlock(fields, description)
            : throw new ObjectStoreException($"'{stepName}' cannot use {description} as credentials; give a {string.Join(" or ", acceptedTypes)} block.");
    }

    /// <summary>A text field (numbers and booleans as text), or null when it is missing or empty.</summary>
    public string? Text(string field) => _fields.TryGetValue(field, out var value) ? value switch
    {
        string { Length: > 0 } s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    } : null;

    /// <summary>A text field inside a nested mapping (Prefect's <c>aws_client_parameters.endpoint_url</c>).</summary>
    public string? NestedText(string field, string inner) =>
        _fields.TryGetValue(field, out var value) && value is IReadOnlyDictionary<string, object?> map && map.TryGetValue(inner, out var v) && v is string { Length: > 0 } s ? s : null;

    /// <summary>A field holding JSON, either as text or as a mapping (a service-account key), as JSON text.</summary>
    public string? Json(string field) => _fields.TryGetValue(field, out var value) ? value switch
    {
        string { Length: > 0 } s => s,
        IReadOnlyDictionary<string, object?> map => JsonSerializer.Serialize(map),
        _ => null,
    } : null;
}
