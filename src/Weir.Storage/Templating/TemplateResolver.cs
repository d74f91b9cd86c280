using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Storage.Config;

namespace Weir.Storage.Templating;

/// <summary>
/// Resolves <c>{{ … }}</c> placeholders in configuration values. A placeholder that is the whole
/// value keeps the type of what it refers to; placeholders inside a longer string become text.
/// References the scope defers (later steps, or blocks at deploy time) are left exactly as written.
/// Braces that are not a reference (see <see cref="TemplateSyntax"/>) stay as they are, and
/// <c>{{ '{{' }}</c> writes a literal <c>{{</c>.
/// </summary>
public static class TemplateResolver
{
    private const string BlocksPrefix = "weir.blocks.";
    private const string VariablesPrefix = "weir.variables.";

    /// <summary>True when the text holds a reference or an escape (a single word counts, as it may be a step's id).</summary>
    public static bool HasPlaceholder(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TemplateSyntax.Find(text, _ => true).Count > 0;
    }

    /// <summary>Resolves every placeholder in a tree. <paramref name="where"/> describes the value for errors, e.g. <c>pull step 1 'git_clone'</c>.</summary>
    public static async ValueTask<ConfigNode> ResolveAsync(ConfigNode node, TemplateScope scope, string where, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        switch (node)
        {
            case ConfigMap map:
                var entries = new List<KeyValuePair<string, ConfigNode>>(map.Entries.Count);
                foreach (var (key, value) in map.Entries)
                {
                    entries.Add(new(key, await ResolveAsync(value, scope, $"{where}, '{key}'", cancellationToken).ConfigureAwait(false)));
                }

                return map with { Entries = entries };
            case ConfigList list:
                var items = new List<ConfigNode>(list.Items.Count);
                for (var i = 0; i < list.Items.Count; i++)
                {
                    items.Add(await ResolveAsync(list.Items[i], scope, $"{where}[{i}]", cancellationToken).ConfigureAwait(false));
                }

                return list with { Items = items };
            case ConfigScalar { Value: string text } scalar when text.Contains("{{", StringComparison.Ordinal):
                return await ResolveStringAsync(scalar, text, scope, where, cancellationToken).ConfigureAwait(false);
            default:
                return node;
        }
    }

    private static async ValueTask<ConfigNode> ResolveStringAsync(ConfigScalar scalar, string text, TemplateScope scope, string where, CancellationToken cancellationToken)
    {
        bool IsStepId(string id) => scope.StepOutputs.ContainsKey(id) || scope.DeferredStepIds.Contains(id);

        var placeholders = TemplateSyntax.Find(text, IsStepId);
        if (TemplateSyntax.Unterminated(text, placeholders, IsStepId) is { } open)
        {
            throw new TemplateException(open, scalar.Location, where, "the placeholder has no closing '}}'.");
        }

        if (placeholders.Count == 0)
        {
            return scalar;
        }

        // Only a placeholder that is the value, with nothing around it (not even spaces), stands for the value itself.
        if (placeholders is [{ IsEscape: false } only] && only.Length == text.Length)
        {
            var lookup = await LookupAsync(only.Reference, scalar.Location, scope, where, cancellationToken).ConfigureAwait(false);
            return lookup.Resolved ? ConfigJson.FromPlain(lookup.Value, scalar.Location) : scalar;
        }

        var result = new StringBuilder();
        var last = 0;
        foreach (var placeholder in placeholders)
        {
            result.Append(text, last, placeholder.Start - last);
            var written = text.Substring(placeholder.Start, placeholder.Length);
            if (placeholder.IsEscape)
            {
                // A pass that others follow keeps the escape, or the next one would read the braces as a reference.
                result.Append(scope.ResolvedAgainLater ? written : "{{");
            }
            else
            {
                var lookup = await LookupAsync(placeholder.Reference, scalar.Location, scope, where, cancellationToken).ConfigureAwait(false);
                if (lookup.Block is { } block && lookup.Value is not null && !IsScalar(lookup.Value))
                {
                    throw TemplateException.Misplaced(placeholder.Reference, scalar.Location, where, WholeBlockProblem(placeholder.Reference, block, lookup.Value, lookup.WholeBlock));
                }

                result.Append(lookup.Resolved ? AsText(lookup.Value) : written);
            }

            last = placeholder.Start + placeholder.Length;
        }

        result.Append(text, last, text.Length - last);
        return scalar with { Value = result.ToString() };
    }

    /// <summary>Resolves one reference; <see cref="Lookup.Resolved"/> is false for a reference the scope defers.</summary>
    private static async ValueTask<Lookup> LookupAsync(string reference, SourceLocation location, TemplateScope scope, string where, CancellationToken cancellationToken)
    {
        TemplateException Fail(string problem) => new(reference, location, where, problem);

        if (reference.Length == 0)
        {
            throw Fail("the placeholder is empty; write {{ step_id.output }}, {{ $ENV_VAR }}, {{ weir.blocks.TYPE.NAME }} or {{ weir.variables.NAME }}.");
        }

        if (reference[0] == '$')
        {
            var name = reference[1..];
            if (scope.Environment is null)
            {
                return Lookup.Deferred;
            }

            return scope.Environment(name) is { } env ? new Lookup(true, env) : throw Fail($"the environment variable {name} is not set.");
        }

        if (reference.StartsWith("prefect.", StringComparison.Ordinal))
        {
            throw Fail($"Weir's references start with 'weir.', not 'prefect.': write {{{{ weir.{reference["prefect.".Length..]} }}}}.");
        }

        if (reference.StartsWith(BlocksPrefix, StringComparison.Ordinal))
        {
            return scope.References is null ? Lookup.Deferred : await BlockAsync(reference, scope, Fail, cancellationToken).ConfigureAwait(false);
        }

        if (reference.StartsWith(VariablesPrefix, StringComparison.Ordinal))
        {
            if (scope.References is null)
            {
                return Lookup.Deferred;
            }

            var name = reference[VariablesPrefix.Length..];
            var (found, value) = await scope.References.GetVariableAsync(name, cancellationToken).ConfigureAwait(false);
            return found ? new Lookup(true, value) : throw Fail($"there is no variable named '{name}'; create it with: weir variable set {name} VALUE");
        }

        if (reference.StartsWith("weir.", StringComparison.Ordinal))
        {
            throw Fail("references under 'weir.' are weir.blocks.TYPE.NAME[.FIELD] and weir.variables.NAME.");
        }

        var path = TemplateSyntax.ParsePath(reference, out var wrongPart) ?? throw Fail(NotAPath(wrongPart!));
        var id = path[0].Key!;
        if (scope.StepOutputs.TryGetValue(id, out var outputs))
        {
            return new Lookup(true, Navigate(outputs, path.GetRange(1, path.Count - 1), $"step '{id}'", id, Fail));
        }

        if (scope.DeferredStepIds.Contains(id))
        {
            return Lookup.Deferred;
        }

        var known = scope.StepOutputs.Keys.Concat(scope.DeferredStepIds).ToArray();
        throw Fail($"no earlier step has the id '{id}'" + (known.Length == 0 ? " (no step so far has an id)." : $"; step ids so far: {string.Join(", ", known)}."));
    }

    private static async ValueTask<Lookup> BlockAsync(string reference, TemplateScope scope, Func<string, TemplateException> fail, CancellationToken cancellationToken)
    {
        var parts = reference[BlocksPrefix.Length..].Split('.', 3);
        if (parts.Length < 2 || parts.Any(p => p.Length == 0))
        {
            throw fail("write a block reference as weir.blocks.TYPE.NAME or weir.blocks.TYPE.NAME.FIELD.");
        }

        var block = await scope.References!.GetBlockAsync(parts[0], parts[1], cancellationToken).ConfigureAwait(false)
            ?? throw fail($"there is no {parts[0]} block named '{parts[1]}'; create it with: weir block create {parts[0]} {parts[1]}");
        foreach (var secret in block.SecretFields)
        {
            if (block.Fields.TryGetValue(secret, out var value))
            {
                scope.Redactor.Add(AsText(value));
            }
        }

        if (parts.Length == 2)
        {
            // A block with one field called "value" (a secret) stands for that value, as in Prefect.
            if (block.Fields.Count == 1 && block.Fields.TryGetValue("value", out var only))
            {
                return new Lookup(true, only, block);
            }

            var document = new Dictionary<string, object?>(block.Fields, StringComparer.Ordinal) { ["_block_type"] = block.Type, ["_block_name"] = block.Name };
            return new Lookup(true, document, block, WholeBlock: true);
        }

        var path = TemplateSyntax.ParsePath(parts[2], out var wrongPart) ?? throw fail(NotAPath(wrongPart!));
        return new Lookup(true, Navigate(block.Fields, path, $"the {block.Type} block '{block.Name}'", $"weir.blocks.{block.Type}.{block.Name}", fail), block);
    }

    /// <summary>Follows fields and list indexes from <paramref name="root"/>; errors say what is there instead, never a value.</summary>
    private static object? Navigate(object? root, List<PathStep> path, string owner, string referencePrefix, Func<string, TemplateException> fail)
    {
        var current = root;
        var walked = new StringBuilder();
        foreach (var step in path)
        {
            current = Plain(current);
            var here = walked.Length == 0 ? owner : $"'{walked}' of {owner}";
            if (step.Key is { } key)
            {
                if (AsMap(current) is { } map)
                {
                    if (!map.TryGetValue(key, out current))
                    {
                        throw fail($"{here} has no '{key}'" + (map.Count > 0 ? $"; it has: {string.Join(", ", map.Keys)}." : "."));
                    }
                }
                else
                {
                    throw fail(AsList(current) is { } items
                        ? $"{here} is a list of {items.Count} items, so it has no '{key}'; pick an item first, such as {{{{ {referencePrefix}{Dot(walked)}[0].{key} }}}}."
                        : $"{here} has no fields, so it has no '{key}'.");
                }

                walked.Append(walked.Length == 0 ? key : "." + key);
            }
            else
            {
                var items = AsList(current)
                    ?? throw fail($"{here} is not a list, so [{step.Index}] picks nothing; refer to it as {{{{ {referencePrefix}{Dot(walked)} }}}}.");
                if (step.Index >= items.Count)
                {
                    throw fail($"{here} has {items.Count} {(items.Count == 1 ? "item" : "items")}, so [{step.Index}] is past the end (the first is [0]).");
                }

                current = items[step.Index];
                walked.Append(CultureInfo.InvariantCulture, $"[{step.Index}]");
            }
        }

        return Plain(current);
    }

    private static string Dot(StringBuilder walked) => walked.Length == 0 ? string.Empty : "." + walked;

    private static string NotAPath(string wrongPart) =>
        (wrongPart.Length == 0 ? "the path has an empty part (two dots together, or a dot at an end)" : $"'{wrongPart}' is not a field or a list item")
        + ": write a path with dots and numeric indexes, such as {{ step_id.list[0].field }}.";

    /// <summary>Why a block value may not stand inside a longer string, and what to write instead.</summary>
    private static string WholeBlockProblem(string reference, BlockValue block, object value, bool wholeBlock)
    {
        if (wholeBlock)
        {
            var example = block.Fields.Keys.FirstOrDefault(k => !block.SecretFields.Contains(k)) ?? block.Fields.Keys.FirstOrDefault() ?? "FIELD";
            return $"stands inside a longer text, but it is the whole {block.Type} block '{block.Name}', which would be written there as JSON with its secret fields. "
                + $"Refer to one field, such as {{{{ {reference}.{example} }}}} (it has: {string.Join(", ", block.Fields.Keys)}), or make the placeholder the whole value.";
        }

        if (AsMap(value) is { } map)
        {
            return $"stands inside a longer text, but it is a map of the {block.Type} block '{block.Name}', which would be written there as JSON. "
                + $"Refer to one of its fields, such as {{{{ {reference}.{map.Keys.FirstOrDefault() ?? "FIELD"} }}}} (it has: {string.Join(", ", map.Keys)}), or make the placeholder the whole value.";
        }

        return $"stands inside a longer text, but it is a list of the {block.Type} block '{block.Name}', which would be written there as JSON. "
            + $"Refer to one item, such as {{{{ {reference}[0] }}}}, or make the placeholder the whole value.";
    }

    private static bool IsScalar(object value) => AsMap(Plain(value)) is null && AsList(Plain(value)) is null;

    /// <summary>JSON values (from a block or variable) as plain values, so paths and text treat them like YAML ones.</summary>
    private static object? Plain(object? value) => value is JsonNode or JsonElement ? ConfigJson.FromPlain(value, new SourceLocation("value")).ToPlain() : value;

    private static IReadOnlyDictionary<string, object?>? AsMap(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        IDictionary<string, object?> map => map.AsReadOnly(),
        _ => null,
    };

    private static IReadOnlyList<object?>? AsList(object? value) => value switch
    {
        string => null,
        IReadOnlyList<object?> list => list,
        System.Collections.IList list => list.Cast<object?>().ToList(),
        _ => null,
    };

    /// <summary>A value as it reads inside a longer string: scalars as text, maps and lists as JSON.</summary>
    private static string AsText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };
}
