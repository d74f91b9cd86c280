using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Server.Ui;

/// <summary>
/// The run form of a deployment, built from its recorded parameter schema: which input each parameter
/// gets, and how the text typed into it becomes the JSON value the run is created with.
/// </summary>
public static class RunForm
{
    private static readonly HashSet<string> s_numbers =
        ["int", "long", "short", "byte", "sbyte", "uint", "ulong", "ushort", "float", "double", "decimal", "Int32", "Int64", "Int16", "Double", "Single", "Decimal"];

    /// <summary>The deployment's parameters as recorded at deploy time.</summary>
    public static IReadOnlyList<ParameterSchema> ParametersOf(DeploymentDto deployment) => deployment.Structure.Parameters;

    /// <summary>Nullable types (<c>int?</c>) take the input of their underlying type.</summary>
    private static string Bare(string type) => type.TrimEnd('?');

    /// <summary>A number input.</summary>
    public static bool IsNumber(string type) => s_numbers.Contains(Bare(type));

    /// <summary>A true/false choice.</summary>
    public static bool IsBool(string type) => Bare(type) is "bool" or "Boolean";

    /// <summary>Typed as JSON (arrays, lists, dictionaries and other objects).</summary>
    public static bool IsJson(string type) => type.Contains('[', StringComparison.Ordinal) || type.Contains('<', StringComparison.Ordinal);

    /// <summary>
    /// The parameters to run with: a field left empty keeps the deployment's default. Throws
    /// <see cref="FormatException"/> with a sentence naming the parameter when a value does not fit its type.
    /// </summary>
    public static JsonObject Parse(DeploymentDto deployment, IReadOnlyDictionary<string, string> values)
    {
        var parameters = new JsonObject();
        foreach (var p in ParametersOf(deployment))
        {
            if (!values.TryGetValue(p.Name, out var text) || text.Length == 0)
            {
                if (p.Required && deployment.Parameters[p.Name] is null)
                {
                    throw new FormatException($"Parameter '{p.Name}' ({p.Type}) is required: the flow has no default for it.");
                }

                continue;
            }

            parameters[p.Name] = Convert(p, text);
        }

        return parameters;
    }

    private static JsonNode? Convert(ParameterSchema p, string text)
    {
        if (IsNumber(p.Type))
        {
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? JsonNode.Parse(text.Trim())
                : throw new FormatException($"Parameter '{p.Name}' is a number ({p.Type}); '{text}' is not one.");
        }

        if (IsBool(p.Type))
        {
            return bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : throw new FormatException($"Parameter '{p.Name}' is true or false, not '{text}'.");
        }

        if (Bare(p.Type) is "string" or "String")
        {
            return JsonValue.Create(text);
        }

        if (IsJson(p.Type))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new FormatException($"Parameter '{p.Name}' ({p.Type}) is written as JSON, e.g. [1, 2, 3]; '{text}' is not JSON: {e.Message}");
            }
        }

        // Dates, enums, GUIDs and the like travel as text; the worker converts them to the parameter's type.
        return JsonValue.Create(text);
    }
}
