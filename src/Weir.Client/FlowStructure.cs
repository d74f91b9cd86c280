using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Client;

/// <summary>
/// What a deployment records about its flow: the name, the parameter schema and the ordered names
/// of the tasks the flow calls. Derived from the compiled code, so whitespace and comments never
/// change it; a parameter or a task call does.
/// </summary>
/// <param name="Name">The flow's name.</param>
/// <param name="Parameters">The parameters, in declaration order.</param>
/// <param name="Tasks">The task names the flow calls, in source order (a task called twice appears twice).</param>
public sealed record FlowStructure(string Name, IReadOnlyList<ParameterSchema> Parameters, IReadOnlyList<string> Tasks)
{
    private static readonly JsonSerializerOptions s_canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonSerializerOptions s_indented = new(s_canonical) { WriteIndented = true };

    /// <summary>A stable hash of the structure: SHA-256 of its canonical JSON, as lowercase hex.</summary>
    [JsonIgnore]
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));

    /// <summary>A stable hash of the parameter schema alone.</summary>
    [JsonIgnore]
    public string ParameterHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Parameters, s_canonical))));

    /// <summary>The canonical JSON form (compact, fixed property order).</summary>
    public string ToJson(bool indented = false) => JsonSerializer.Serialize(this, indented ? s_indented : s_canonical);

    /// <summary>Reads the JSON form.</summary>
    public static FlowStructure FromJson(string json) =>
        JsonSerializer.Deserialize<FlowStructure>(json, s_canonical) ?? throw new JsonException("The flow structure document is empty.");

    /// <summary>Records compare by content, lists included.</summary>
    public bool Equals(FlowStructure? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());
}
