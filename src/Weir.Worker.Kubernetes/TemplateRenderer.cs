using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// Fills a job manifest's <c>{{ name }}</c> placeholders. A string that is only a placeholder becomes the value itself (a number, a
/// mapping, a list); a placeholder inside other text becomes the value's text. A placeholder whose value is missing removes its key
/// from the mapping, or its item from the list, that holds it (inside other text it becomes empty).
/// </summary>
internal static partial class TemplateRenderer
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$")]
    private static partial Regex WholePlaceholder();

    /// <summary>Every placeholder of <paramref name="manifest"/>, with where it is (<c>spec.template.spec.containers[0].image</c>).</summary>
    public static IEnumerable<(string Name, string Path)> Placeholders(JsonNode? manifest, string path = "job_manifest")
    {
        switch (manifest)
        {
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    foreach (var found in Placeholders(value, path + "." + key))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var found in Placeholders(list[i], $"{path}[{i}]"))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                foreach (Match match in Placeholder().Matches(value.GetValue<string>()))
                {
                    yield return (match.Groups[1].Value, path);
                }

                break;
        }
    }

    /// <summary>A copy of <paramref name="manifest"/> with its placeholders filled from <paramref name="values"/>.</summary>
    public static JsonNode Render(JsonNode manifest, JsonObject values) => RenderNode(manifest, values, out _) ?? new JsonObject();

    private static JsonNode? RenderNode(JsonNode? node, JsonObject values, out bool missing)
    {
        missing = false;
        switch (node)
        {
            case JsonObject map:
                var rendered = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var item = RenderNode(value, values, out var gone);
                    if (!gone)
                    {
                        rendered[key] = item;
                    }
                }

                return rendered;
            case JsonArray list:
                var items = new JsonArray();
                foreach (var value in list)
                {
                    var item = RenderNode(value, values, out var gone);
                    if (!gone)
                    {
                        items.Add(item);
                    }
                }

                return items;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (WholePlaceholder().Match(text) is { Success: true } whole)
                {
                    var filled = values[whole.Groups[1].Value];
                    missing = filled is null;
                    return filled?.DeepClone();
                }

                return JsonValue.Create(Placeholder().Replace(text, m => values[m.Groups[1].Value] switch
                {
                    null => string.Empty,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    { } other => other.ToJsonString(),
                }));
            default:
                return node?.DeepClone();
        }
    }
}
