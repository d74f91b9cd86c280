using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Client;

/// <summary>
/// A block a deployment declares: its type and name (<c>secret/api-token</c>). A deployment declares the blocks its pull
/// steps and job variables refer to (<c>{{ weir.blocks.TYPE.NAME… }}</c>) and those its <c>blocks:</c> list names; its
/// runs' tokens may read those and no other.
/// </summary>
/// <param name="Type">The block type's slug (<c>secret</c>, <c>aws-credentials</c>, …).</param>
/// <param name="Name">The block's name.</param>
public sealed partial record BlockReference(string Type, string Name)
{
    /// <summary>The type of <c>Secret.GetAsync</c>'s blocks, and of a bare name in a <c>blocks:</c> list.</summary>
    public const string SecretType = "secret";

    /// <summary><c>TYPE/NAME</c>, as a <c>blocks:</c> list writes it.</summary>
    public override string ToString() => Type + "/" + Name;

    /// <summary>
    /// Reads an entry of a <c>blocks:</c> list: <c>TYPE/NAME</c>, or a bare <c>NAME</c> for a <c>secret</c> block; null when
    /// it is neither (empty parts, more than one <c>/</c>).
    /// </summary>
    public static BlockReference? Parse(string? text)
    {
        var parts = (text ?? string.Empty).Trim().Split('/');
        return parts switch
        {
            [{ Length: > 0 } name] => new BlockReference(SecretType, name),
            [{ Length: > 0 } type, { Length: > 0 } name] => new BlockReference(type, name),
            _ => null,
        };
    }

    /// <summary>The blocks the text values anywhere in <paramref name="node"/> refer to (<c>{{ weir.blocks.TYPE.NAME… }}</c>), each once.</summary>
    public static IReadOnlyList<BlockReference> In(JsonNode? node)
    {
        var found = new List<BlockReference>();
        Collect(node, found);
        return [.. found.Distinct()];
    }

    /// <summary>Everything <paramref name="deployment"/> declares: the blocks its pull steps and job variables refer to, and its <c>blocks:</c> list.</summary>
    public static IReadOnlySet<BlockReference> DeclaredBy(DeploymentDto deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var declared = new HashSet<BlockReference>(In(deployment.PullSteps));
        declared.UnionWith(In(deployment.JobVariables));
        foreach (var entry in deployment.Blocks)
        {
            if (Parse(entry) is { } block)
            {
                declared.Add(block);
            }
        }

        return declared;
    }

    private static void Collect(JsonNode? node, List<BlockReference> found)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (_, value) in map)
                {
                    Collect(value, found);
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    Collect(item, found);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                foreach (Match match in Reference().Matches(value.GetValue<string>()))
                {
                    found.Add(new BlockReference(match.Groups["type"].Value, match.Groups["name"].Value));
                }

                break;
        }
    }

    // As the worker's template resolver reads a reference: weir.blocks, then the type, then the name, split at dots.
    [GeneratedRegex(@"\{\{\s*weir\.blocks\.(?<type>[^.{}\s\[]+)\.(?<name>[^.{}\s\[]+)[^{}\s]*\s*\}\}")]
    private static partial Regex Reference();
}
