using System.Text.Json.Nodes;
using Weir.Storage.Config;

namespace Weir.Storage.Steps;

/// <summary>One step as written in <c>weir.yaml</c> (or stored on a deployment): its name, id, arguments and where it stands.</summary>
/// <param name="Name">The step's name as written, e.g. <c>git_clone</c> or <c>weir.deployments.steps.git_clone</c>.</param>
/// <param name="Id">The id later steps use to refer to its outputs.</param>
/// <param name="Arguments">The arguments, placeholders not yet resolved.</param>
/// <param name="Location">Where the step stands.</param>
/// <param name="Section">push, pull or build.</param>
/// <param name="Index">Its position in the section, from 0.</param>
public sealed record StepDefinition(string Name, string? Id, ConfigMap Arguments, SourceLocation Location, string Section, int Index)
{
    private static readonly HashSet<string> s_reserved = ["id", "requires"];

    /// <summary>The step's short name: the last dotted part (<c>weir.deployments.steps.git_clone</c> → <c>git_clone</c>).</summary>
    public string ShortName => Name[(Name.LastIndexOf('.') + 1)..];

    /// <summary>The step for people, without where it stands: <c>pull step 1 'git_clone' (id 'clone')</c>.</summary>
    public string Title => $"{Section} step {Index + 1} '{ShortName}'" + (Id is null ? string.Empty : $" (id '{Id}')");

    /// <summary>The step for people: <c>pull step 1 'git_clone' (id 'clone') at weir.yaml:12:3</c>.</summary>
    public string Describe() => $"{Title} at {Location}";

    /// <summary>Reads a list of steps: each item is a mapping with one key, the step name, whose value maps argument names to values.</summary>
    public static IReadOnlyList<StepDefinition> ReadList(ConfigNode? node, string section)
    {
        if (node is null or ConfigScalar { Value: null })
        {
            return [];
        }

        if (node is not ConfigList list)
        {
            throw new ConfigException(node.Location, $"'{section}' must be a list of steps, like:\n{section}:\n- set_working_directory:\n    directory: /opt/flows");
        }

        var steps = new List<StepDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            if (item is not ConfigMap { Entries.Count: 1 } map)
            {
                throw new ConfigException(item.Location, $"{section} step {i + 1} must be a mapping with exactly one key, the step's name (for example '- git_clone:').");
            }

            var (name, body) = map.Entries[0];
            var arguments = body switch
            {
                ConfigMap args => args,
                ConfigScalar { Value: null } => new ConfigMap([], body.Location),
                _ => throw new ConfigException(body.Location, $"the arguments of {section} step {i + 1} '{name}' must be a mapping of names to values."),
            };

            string? id = null;
            if (arguments["id"] is { } idNode)
            {
                id = idNode is ConfigScalar { Value: string s } && s.Length > 0 && !s.Contains('.') && !s.Contains(' ')
                    ? s
                    : throw new ConfigException(idNode.Location, $"the id of {section} step {i + 1} '{name}' must be a plain name without dots or spaces.");
                if (!ids.Add(id))
                {
                    throw new ConfigException(idNode.Location, $"two {section} steps have the id '{id}'; ids must be unique.");
                }
            }

            var kept = new ConfigMap([.. arguments.Entries.Where(e => !s_reserved.Contains(e.Key))], arguments.Location);
            steps.Add(new StepDefinition(name, id, kept, map.Location, section, i));
        }

        return steps;
    }

    /// <summary>The steps as JSON, the form stored on a deployment: <c>[{"git_clone": {"id": "...", ...}}]</c>.</summary>
    public static JsonArray ToJson(IEnumerable<StepDefinition> steps) => [.. steps.Select(step =>
    {
        var arguments = (JsonObject)ConfigJson.ToJson(step.Arguments)!;
        if (step.Id is not null)
        {
            arguments.Insert(0, "id", step.Id);
        }

        return (JsonNode)new JsonObject { [step.Name] = arguments };
    })];

    /// <summary>Reads steps stored as JSON; <paramref name="source"/> describes where they came from (e.g. <c>deployment 'x/nightly'</c>).</summary>
    public static IReadOnlyList<StepDefinition> FromJson(JsonNode? json, string source, string section) =>
        ReadList(ConfigJson.FromJson(json, new SourceLocation($"{source} {section} steps")), section)
            .Select(s => s with
            {
                Location = new SourceLocation($"{source}, {section} step {s.Index + 1}"),
                // Their values' positions in the stored JSON mean nothing to people; the step already names its place.
                Arguments = (ConfigMap)ConfigLocations.Relocate(s.Arguments, new SourceLocation(source)),
            })
            .ToList();
}
