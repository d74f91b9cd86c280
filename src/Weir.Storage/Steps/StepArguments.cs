using System.Globalization;

namespace Weir.Storage.Steps;

/// <summary>A step's resolved arguments, with getters that name the argument when its value is missing or of the wrong kind.</summary>
public sealed class StepArguments(string stepName, IReadOnlyDictionary<string, object?> values)
{
    /// <summary>The raw values.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; } = values;

    /// <summary>True when the argument was given (even as null).</summary>
    public bool Has(string name) => Values.ContainsKey(name);

    /// <summary>A string argument; numbers and booleans are turned into text.</summary>
    public string? GetString(string name, bool required = false)
    {
        if (!Values.TryGetValue(name, out var value) || value is null)
        {
            return required ? throw Missing(name) : null;
        }

        return value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new StepException($"'{stepName}' argument '{name}' must be text, not a {Kind(value)}."),
        };
    }

    /// <summary>A required string argument that is not empty.</summary>
    public string GetRequiredString(string name) =>
        GetString(name, required: true) is { Length: > 0 } s ? s : throw Missing(name);

    /// <summary>A boolean argument; also accepts the text true/false.</summary>
    public bool GetBool(string name, bool defaultValue) => Values.TryGetValue(name, out var value) ? value switch
    {
        null => defaultValue,
        bool b => b,
        string s when bool.TryParse(s, out var parsed) => parsed,
        _ => throw new StepException($"'{stepName}' argument '{name}' must be true or false, not '{value}'."),
    } : defaultValue;

    /// <summary>A number argument; also accepts a number written as text.</summary>
    public double GetNumber(string name, double defaultValue) => Values.TryGetValue(name, out var value) ? value switch
    {
        null => defaultValue,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        bool b => throw new StepException($"'{stepName}' argument '{name}' must be a number, not {(b ? "true" : "false")}."),
        string => throw new StepException($"'{stepName}' argument '{name}' must be a number, not '{value}'."),
        IConvertible number => number.ToDouble(CultureInfo.InvariantCulture),
        _ => throw new StepException($"'{stepName}' argument '{name}' must be a number, not a {Kind(value)}."),
    } : defaultValue;

    /// <summary>A mapping argument with text values (environment variables).</summary>
    public IReadOnlyDictionary<string, string> GetStringMap(string name)
    {
        if (!Values.TryGetValue(name, out var value) || value is null)
        {
            return new Dictionary<string, string>();
        }

        if (value is not IReadOnlyDictionary<string, object?> map)
        {
            throw new StepException($"'{stepName}' argument '{name}' must be a mapping of names to values, not a {Kind(value)}.");
        }

        return map.ToDictionary(e => e.Key, e => e.Value switch
        {
            null => string.Empty,
            string s => s,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new StepException($"'{stepName}' argument '{name}': the value of '{e.Key}' must be text."),
        }, StringComparer.Ordinal);
    }

    /// <summary>A list of strings; a single string counts as a list of one.</summary>
    public IReadOnlyList<string> GetStringList(string name) => Values.TryGetValue(name, out var value) ? value switch
    {
        null => [],
        string s => [s],
        IEnumerable<object?> items => [.. items.Select(i => i?.ToString() ?? string.Empty)],
        _ => throw new StepException($"'{stepName}' argument '{name}' must be a list, not a {Kind(value)}."),
    } : [];

    /// <summary>A mapping argument as is (a credentials block, for example).</summary>
    public IReadOnlyDictionary<string, object?>? GetMap(string name) => Values.TryGetValue(name, out var value) ? value switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> map => map,
        _ => throw new StepException($"'{stepName}' argument '{name}' must be a mapping (for example a block reference {{{{ weir.blocks.TYPE.NAME }}}}), not a {Kind(value)}."),
    } : null;

    private StepException Missing(string name) => new($"'{stepName}' needs the argument '{name}'.");

    private static string Kind(object value) => value switch
    {
        IReadOnlyDictionary<string, object?> => "mapping",
        IEnumerable<object?> => "list",
        _ => value.GetType().Name,
    };
}
