using System.Diagnostics.CodeAnalysis;

namespace Weir.Storage.Steps;

/// <summary>
/// The outputs of a step a dry run skipped: every output name resolves to a marker such as
/// <c>(dry run: build.stdout)</c>, so later steps and the printed plan still resolve.
/// </summary>
internal sealed class DryRunOutputs(string stepId) : IReadOnlyDictionary<string, object?>
{
    public object? this[string key] => Marker(key);

    public IEnumerable<string> Keys => [];

    public IEnumerable<object?> Values => [];

    public int Count => 0;

    public bool ContainsKey(string key) => true;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        value = Marker(key);
        return true;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, object?>>().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private string Marker(string key) => $"(dry run: {stepId}.{key})";
}
