using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weir.Engine;

/// <summary>
/// Turns parameters given as text (<c>--param limit=3</c>) or JSON (<c>--params-json</c>, the API)
/// into values of the flow's declared parameter types.
/// </summary>
internal static class ParameterBinder
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Binds parameters by name. JSON values are applied first, then text values. Missing parameters
    /// with defaults take them. Throws <see cref="ParameterBindingException"/> naming the parameter at
    /// fault and listing the flow's parameters.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Bind(FlowDefinition flow, IEnumerable<KeyValuePair<string, string>> textValues, JsonElement? jsonValues = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(textValues);
        var byName = flow.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);

        if (jsonValues is { } json)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw Error(flow, $"Parameters for flow '{flow.Name}' must be a JSON object like {{\"name\": value}}, not {json.ValueKind}.");
            }

            foreach (var property in json.EnumerateObject())
            {
                var parameter = Lookup(flow, byName, property.Name);
                values[parameter.Name] = FromJson(flow, parameter, property.Value);
            }
        }

        foreach (var (name, text) in textValues)
        {
            var parameter = Lookup(flow, byName, name);
            values[parameter.Name] = FromText(flow, parameter, text);
        }

        foreach (var parameter in flow.Parameters)
        {
            if (!values.ContainsKey(parameter.Name))
            {
                if (parameter.IsRequired)
                {
                    throw Error(flow, $"Missing required parameter '{parameter.Name}' for flow '{flow.Name}'.");
                }

                values[parameter.Name] = parameter.DefaultValue;
            }
        }

        return values;
    }

    /// <summary>Parses <c>name=value</c> as given on a command line.</summary>
    public static KeyValuePair<string, string> ParseAssignment(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ParameterBindingException($"'{assignment}' is not a parameter assignment; write it as name=value, for example --param limit=3.");
        }

        return new(assignment[..equals].Trim(), assignment[(equals + 1)..]);
    }

    /// <summary>
    /// Parses JSON given on a command line (<c>--params-json</c>, or a <c>--param</c> value). Malformed JSON
    /// throws <see cref="ParameterBindingException"/> naming <paramref name="what"/> and the position of the error:
    /// <c>--params-json is not valid JSON at character 12: ',' is an invalid start of a value.</c>
    /// </summary>
    public static JsonElement ParseJson(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ParameterBindingException($"{what} is not valid JSON {DescribeError(text, ex)}");
        }
    }

    /// <summary>Where malformed JSON goes wrong, for a person: <c>at character 5: it ends before the value is complete.</c></summary>
    private static string DescribeError(string text, JsonException error)
    {
        var lines = text.Split('\n');
        var lineIndex = (int)Math.Clamp(error.LineNumber ?? 0, 0, lines.Length - 1);
        var line = lines[lineIndex].TrimEnd('\r');
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        var column = System.Text.Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Clamp(error.BytePositionInLine ?? 0, 0, bytes.Length));
        var at = lines.Length > 1 ? $"line {lineIndex + 1}, character {column + 1}" : $"character {column + 1}";
        var atEnd = text.Trim().Length > 0 && lineIndex == lines.Length - 1 && column >= line.TrimEnd().Length - 1 && !line.TrimEnd().EndsWith(']') && !line.TrimEnd().EndsWith('}');
        var reason = text.Trim().Length == 0 ? "it is empty."
            : atEnd ? "it ends before the value is complete (is a closing ] or } missing?)."
            : error.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].Trim();
        return $"at {at}: {reason}";
    }

    /// <summary>Orders bound values as the flow method's arguments.</summary>
    public static object?[] ToArguments(FlowDefinition flow, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(values);
        var arguments = new object?[flow.Parameters.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = flow.Parameters[i];
            arguments[i] = values.TryGetValue(parameter.Name, out var value) ? value : parameter.DefaultValue;
        }

        return arguments;
    }

    private static FlowParameter Lookup(FlowDefinition flow, Dictionary<string, FlowParameter> byName, string name)
    {
        if (byName.TryGetValue(name, out var parameter))
        {
            return parameter;
        }

        var hint = flow.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        throw Error(flow, $"Unknown parameter '{name}' for flow '{flow.Name}'." + (hint is null ? string.Empty : $" Did you mean '{hint.Name}'?"));
    }

    private static object? FromText(FlowDefinition flow, FlowParameter parameter, string text)
    {
        var target = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        if (target == typeof(string) || target == typeof(object))
        {
            return text;
        }

        // Values that JSON writes as strings are quoted; everything else (numbers, booleans, arrays,
        // objects) is read as a JSON literal, so `--param ids=[1,2,3]` works for an int[].
        var quoted = target.IsEnum || target == typeof(DateTime) || target == typeof(DateTimeOffset) || target == typeof(DateOnly)
            || target == typeof(TimeOnly) || target == typeof(TimeSpan) || target == typeof(Guid) || target == typeof(Uri) || target == typeof(char);
        var json = quoted ? JsonSerializer.Serialize(text) : text;
        if (target == typeof(bool))
        {
            json = text.Trim().ToLowerInvariant();
        }
        else if (!quoted && text.TrimStart() is ['[' or '{' or '"', ..])
        {
            // Meant as JSON: say where it goes wrong rather than only that it does not fit.
            try
            {
                using var _ = JsonDocument.Parse(text);
            }
            catch (JsonException ex)
            {
                throw Error(flow, $"Parameter '{parameter.Name}' of flow '{flow.Name}' expects {parameter.TypeName}; '{text}' is not valid JSON {DescribeError(text, ex)}");
            }
        }

        if (parameter.Type != target && text.Trim() == "null")
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, parameter.Type, s_json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            throw Error(flow, $"Parameter '{parameter.Name}' of flow '{flow.Name}' expects {parameter.TypeName}; '{text}' is not one.");
        }
    }

    private static object? FromJson(FlowDefinition flow, FlowParameter parameter, JsonElement value)
    {
        try
        {
            return value.Deserialize(parameter.Type, s_json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            throw Error(flow, $"Parameter '{parameter.Name}' of flow '{flow.Name}' expects {parameter.TypeName}; {value.GetRawText()} is not one.");
        }
    }

    private static ParameterBindingException Error(FlowDefinition flow, string message)
    {
        var list = flow.Parameters.Count == 0
            ? "It takes no parameters."
            : "Its parameters: " + string.Join(", ", flow.Parameters.Select(p => p.Describe())) + ".";
        return new ParameterBindingException(message + " " + list);
    }
}
