using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// The JSON schema of a kubernetes pool's job variables (the template's <c>variables</c>), and the check of a deployment's
/// values against it. It knows the keywords a job template needs: <c>type</c> (one or a list of <c>string</c>, <c>integer</c>,
/// <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>), <c>enum</c>, <c>minimum</c>, <c>maximum</c>, <c>properties</c>,
/// <c>additionalProperties</c>, <c>items</c>, <c>required</c> and <c>default</c> (<c>description</c> and <c>title</c> are for people);
/// a schema with any other keyword is refused when the template is read, so no rule is silently skipped.
/// </summary>
internal sealed class JobVariableSchema
{
    private static readonly HashSet<string> s_keywords = ["type", "enum", "minimum", "maximum", "properties", "additionalProperties", "items", "required", "default", "description", "title"];
    private static readonly HashSet<string> s_types = ["string", "integer", "number", "boolean", "object", "array", "null"];

    private readonly JsonObject _schema;

    private JobVariableSchema(JsonObject schema) => _schema = schema;

    /// <summary>The variables the schema names, in its order.</summary>
    public IReadOnlyList<string> Names => [.. Properties(_schema).Select(p => p.Key)];

    /// <summary>Reads a template's <c>variables</c>; <paramref name="where"/> names the template in errors.</summary>
    public static JobVariableSchema Read(JsonNode? schema, string where)
    {
        if (schema is not JsonObject root)
        {
            throw new KubernetesPoolException($"{where} has no 'variables' mapping (the JSON schema of its job variables); add one, even if only 'type: object' with 'properties'.");
        }

        CheckSchema(root, "variables", where);
        if (TypesOf(root) is { } types && !types.Contains("object"))
        {
            throw new KubernetesPoolException($"{where}: 'variables' must describe an object (type: object), the job variables by name.");
        }

        return new JobVariableSchema(root);
    }

    /// <summary>
    /// Checks <paramref name="values"/> (a deployment's job variables) and returns them with the schema's defaults filled in.
    /// Errors are <see cref="KubernetesPoolException"/>s naming the variable, for example <c>resources.limits.memory</c>.
    /// </summary>
    public JsonObject Apply(JsonObject? values, string where)
    {
        var result = new JsonObject();
        values ??= [];
        var known = Properties(_schema).ToDictionary(p => p.Key, p => p.Value as JsonObject ?? [], StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (!known.TryGetValue(name, out var schema))
            {
                if (_schema["additionalProperties"] is JsonValue allowed && allowed.GetValueKind() == JsonValueKind.True)
                {
                    result[name] = value?.DeepClone();
                    continue;
                }

                throw new KubernetesPoolException(
                    $"{where}: job variable '{name}' is not one the pool's job template takes; it takes: {string.Join(", ", known.Keys)}. Check the spelling in work_pool.job_variables, or add it to the template's variables.");
            }

            if (value is null)
            {
                continue;
            }

            Check(value, schema, name, where);
            result[name] = value.DeepClone();
        }

        foreach (var (name, schema) in known)
        {
            if (!result.ContainsKey(name) && schema["default"] is { } fallback)
            {
                result[name] = fallback.DeepClone();
            }
        }

        foreach (var name in Required(_schema))
        {
            if (result[name] is null)
            {
                throw new KubernetesPoolException($"{where}: job variable '{name}' is required by the pool's job template and has no value; set work_pool.job_variables.{name} in weir.yaml and deploy again.");
            }
        }

        return result;
    }

    private static void Check(JsonNode value, JsonObject schema, string path, string where)
    {
        var kind = KindOf(value);
        if (TypesOf(schema) is { } types && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            throw new KubernetesPoolException($"{where}: job variable '{path}' must be {Describe(types)}, not {Article(kind)} ({Shorten(value)}).");
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            throw new KubernetesPoolException($"{where}: job variable '{path}' is {Shorten(value)}; it must be one of {string.Join(", ", allowed.Select(Shorten))}.");
        }

        if (kind is "integer" or "number")
        {
            var number = JsonNumbers.ToDouble(value);
            if (schema["minimum"] is JsonValue min && number < JsonNumbers.ToDouble(min))
            {
                throw new KubernetesPoolException($"{where}: job variable '{path}' is {Shorten(value)}; it must be at least {min.ToJsonString()}.");
            }

            if (schema["maximum"] is JsonValue max && number > JsonNumbers.ToDouble(max))
            {
                throw new KubernetesPoolException($"{where}: job variable '{path}' is {Shorten(value)}; it must be at most {max.ToJsonString()}.");
            }
        }

        if (value is JsonObject map)
        {
            var properties = Properties(schema).ToDictionary(p => p.Key, p => p.Value as JsonObject ?? [], StringComparer.Ordinal);
            foreach (var (key, item) in map)
            {
                if (properties.TryGetValue(key, out var itemSchema))
                {
                    if (item is not null)
                    {
                        Check(item, itemSchema, path + "." + key, where);
                    }
                }
                else if (schema["additionalProperties"] is JsonObject rest)
                {
                    if (item is null)
                    {
                        throw new KubernetesPoolException($"{where}: job variable '{path}.{key}' has no value; give it one or leave it out.");
                    }

                    Check(item, rest, path + "." + key, where);
                }
                else if (schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False)
                {
                    throw new KubernetesPoolException(
                        $"{where}: job variable '{path}' has '{key}', which it does not take; it takes: {(properties.Count == 0 ? "nothing" : string.Join(", ", properties.Keys))}.");
                }
            }

            foreach (var name in Required(schema).Where(n => map[n] is null))
            {
                throw new KubernetesPoolException($"{where}: job variable '{path}' needs '{name}'.");
            }
        }

        if (value is JsonArray list && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not { } item)
                {
                    throw new KubernetesPoolException($"{where}: job variable '{path}[{i}]' is empty; remove it or give it a value.");
                }

                Check(item, items, $"{path}[{i}]", where);
            }
        }
    }

    private static void CheckSchema(JsonObject schema, string path, string where)
    {
        foreach (var (keyword, value) in schema)
        {
            if (!s_keywords.Contains(keyword))
            {
                throw new KubernetesPoolException(
                    $"{where}: the schema at {path} uses '{keyword}', which Weir's check of job variables does not know; it knows {string.Join(", ", s_keywords)}. Say it with those, or leave it out.");
            }

            switch (keyword)
            {
                case "type" when TypesOf(schema) is not { } types || types.Any(t => !s_types.Contains(t)):
                    throw new KubernetesPoolException($"{where}: the schema at {path} has type {value?.ToJsonString()}; use string, integer, number, boolean, object, array or a list of them.");
                case "properties" when value is not JsonObject:
                    throw new KubernetesPoolException($"{where}: the schema at {path} has 'properties' that is not a mapping of names to schemas.");
                case "properties":
                    foreach (var (name, property) in (JsonObject)value!)
                    {
                        if (property is not JsonObject nested)
                        {
                            throw new KubernetesPoolException($"{where}: the schema of {path}.properties.{name} is not a mapping.");
                        }

                        CheckSchema(nested, $"{path}.properties.{name}", where);
                    }

                    break;
                case "items" or "additionalProperties" when value is JsonObject nested:
                    CheckSchema(nested, $"{path}.{keyword}", where);
                    break;
                case "items":
                    throw new KubernetesPoolException($"{where}: the schema at {path} has 'items' that is not a schema (a mapping).");
                case "additionalProperties" when value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                    throw new KubernetesPoolException($"{where}: the schema at {path} has 'additionalProperties' that is neither true, false nor a schema.");
                case "enum" when value is not JsonArray:
                    throw new KubernetesPoolException($"{where}: the schema at {path} has 'enum' that is not a list.");
                case "required" when value is not JsonArray names || names.Any(n => n is not JsonValue s || s.GetValueKind() != JsonValueKind.String):
                    throw new KubernetesPoolException($"{where}: the schema at {path} has 'required' that is not a list of names.");
                case "minimum" or "maximum" when value is not JsonValue n || n.GetValueKind() != JsonValueKind.Number:
                    throw new KubernetesPoolException($"{where}: the schema at {path} has '{keyword}' that is not a number.");
                case "default" when value is not null:
                    try
                    {
                        Check(value, schema, path + ".default", where);
                    }
                    catch (KubernetesPoolException ex)
                    {
                        throw new KubernetesPoolException($"{where}: the default at {path} does not match its own schema ({ex.Message})");
                    }

                    break;
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Properties(JsonObject schema) => schema["properties"] as JsonObject ?? [];

    private static IEnumerable<string> Required(JsonObject schema) =>
        (schema["required"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>();

    private static string[]? TypesOf(JsonObject schema) => schema["type"] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray list when list.All(i => i is JsonValue s && s.GetValueKind() == JsonValueKind.String) => [.. list.Select(i => i!.GetValue<string>())],
        _ => [],
    };

    private static string KindOf(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => double.IsInteger(JsonNumbers.ToDouble(v)) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static string Describe(string[] types) => string.Join(" or ", types.Select(Article));

    private static string Article(string type) => type switch
    {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        _ => type,
    };

    private static string Shorten(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    /// <summary>A variable's value as text (a string as it is, anything else as JSON), or null when it has none.</summary>
    public static string? Text(JsonObject values, string name) => values[name] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    /// <summary>A whole-number variable, or null.</summary>
    public static long? Integer(JsonObject values, string name) =>
        values[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.IsInteger(JsonNumbers.ToDouble(v))
            ? (long)JsonNumbers.ToDouble(v)
            : values[name] is JsonValue s && s.GetValueKind() == JsonValueKind.String && long.TryParse(s.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
