using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Weir.Storage.Config;

namespace Weir.Storage.Templating;

/// <summary>
/// Resolves <c>{{ … }}</c> placeholders in configuration values. A placeholder that is the whole
/// value keeps the type of what it refers to; placeholders inside a longer string become text.
/// References the scope defers (later steps, or blocks at deploy time) are left exactly as written.
/// </summary>
public static partial class TemplateResolver
{
    private const string BlocksPrefix = "weir.blocks.";
    private const string VariablesPrefix = "weir.variables.";

    [GeneratedRegex(@"\{\{\s*(?<ref>[^{}]*?)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>True when the text holds a placeholder.</summary>
    public static bool HasPlaceholder(string text) => Placeholder().IsMatch(text);

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
            case ConfigScalar { Value: string text } scalar when Unterminated(text) is { } open:
                throw new TemplateException(open, scalar.Location, where, "the placeholder has no closing '}}'.");
            case ConfigScalar { Value: string text } scalar when HasPlaceholder(text):
                return await ResolveStringAsync(scalar, text, scope, where, cancellationToken).ConfigureAwait(false);
            default:
                return node;
        }
    }

    /// <summary>The text after a <c>{{</c> that no <c>}}</c> closes (a typo that would otherwise pass as a literal), or null.</summary>
    private static string? Unterminated(string text)
    {
        var rest = text.Contains("{{", StringComparison.Ordinal) ? Placeholder().Replace(text, string.Empty) : text;
        var open = rest.IndexOf("{{", StringComparison.Ordinal);
        if (open < 0 || rest.IndexOf("}}", open, StringComparison.Ordinal) >= 0)
        {
            return null;
        }

        var reference = rest[(open + 2)..].Trim();
        return reference.Length > 60 ? reference[..60] + "…" : reference;
    }

    private static async ValueTask<ConfigNode> ResolveStringAsync(ConfigScalar scalar, string text, TemplateScope scope, string where, CancellationToken cancellationToken)
    {
        var matches = Placeholder().Matches(text);
        if (matches.Count == 1 && matches[0].Value.Length == text.Trim().Length)
        {
            var reference = matches[0].Groups["ref"].Value;
            var (resolved, value) = await LookupAsync(reference, scalar.Location, scope, where, cancellationToken).ConfigureAwait(false);
            return resolved ? ConfigJson.FromPlain(value, scalar.Location) : scalar;
        }

        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in matches)
        {
            result.Append(text, last, match.Index - last);
            var (resolved, value) = await LookupAsync(match.Groups["ref"].Value, scalar.Location, scope, where, cancellationToken).ConfigureAwait(false);
            result.Append(resolved ? AsText(value) : match.Value);
            last = match.Index + match.Length;
        }

        result.Append(text, last, text.Length - last);
        return scalar with { Value = result.ToString() };
    }

    /// <summary>Returns (false, null) for a reference the scope defers.</summary>
    private static async ValueTask<(bool Resolved, object? Value)> LookupAsync(string reference, SourceLocation location, TemplateScope scope, string where, CancellationToken cancellationToken)
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
                return (false, null);
            }

            return scope.Environment(name) is { } env ? (true, env) : throw Fail($"the environment variable {name} is not set.");
        }

        if (reference.StartsWith("prefect.", StringComparison.Ordinal))
        {
            throw Fail($"Weir's references start with 'weir.', not 'prefect.': write {{{{ weir.{reference["prefect.".Length..]} }}}}.");
        }

        if (reference.StartsWith(BlocksPrefix, StringComparison.Ordinal))
        {
            return scope.References is null ? (false, null) : (true, await BlockAsync(reference, scope, Fail, cancellationToken).ConfigureAwait(false));
        }

        if (reference.StartsWith(VariablesPrefix, StringComparison.Ordinal))
        {
            if (scope.References is null)
            {
                return (false, null);
            }

            var name = reference[VariablesPrefix.Length..];
            var (found, value) = await scope.References.GetVariableAsync(name, cancellationToken).ConfigureAwait(false);
            return found ? (true, value) : throw Fail($"there is no variable named '{name}'; create it with: weir variable set {name} VALUE");
        }

        var parts = reference.Split('.');
        var id = parts[0];
        if (scope.StepOutputs.TryGetValue(id, out var outputs))
        {
            if (parts.Length == 1)
            {
                return (true, outputs);
            }

            return (true, Navigate(outputs, parts.AsSpan(1), $"step '{id}'", Fail));
        }

        if (scope.DeferredStepIds.Contains(id))
        {
            return (false, null);
        }

        var known = scope.StepOutputs.Keys.Concat(scope.DeferredStepIds).ToArray();
        throw Fail($"no earlier step has the id '{id}'" + (known.Length == 0 ? " (no step so far has an id)." : $"; step ids so far: {string.Join(", ", known)}."));
    }

    private static async ValueTask<object?> BlockAsync(string reference, TemplateScope scope, Func<string, TemplateException> fail, CancellationToken cancellationToken)
    {
        var parts = reference[BlocksPrefix.Length..].Split('.');
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
                return only;
            }

            var document = new Dictionary<string, object?>(block.Fields, StringComparer.Ordinal) { ["_block_type"] = block.Type, ["_block_name"] = block.Name };
            return document;
        }

        return Navigate(block.Fields, parts.AsSpan(2), $"the {block.Type} block '{block.Name}'", fail);
    }

    private static object? Navigate(IReadOnlyDictionary<string, object?> root, ReadOnlySpan<string> path, string owner, Func<string, TemplateException> fail)
    {
        object? current = root;
        foreach (var key in path)
        {
            if (current is IReadOnlyDictionary<string, object?> map && map.TryGetValue(key, out var next))
            {
                current = next;
            }
            else if (current is IDictionary<string, object?> dict && dict.TryGetValue(key, out next))
            {
                current = next;
            }
            else
            {
                var keys = current switch
                {
                    IReadOnlyDictionary<string, object?> m => m.Keys,
                    IDictionary<string, object?> d => d.Keys,
                    _ => [],
                };
                throw fail($"{owner} has no '{key}'" + (keys.Any() ? $"; it has: {string.Join(", ", keys)}." : "."));
            }
        }

        return current;
    }

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
