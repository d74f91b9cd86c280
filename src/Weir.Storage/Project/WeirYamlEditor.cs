using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Storage.Project;

/// <summary>
/// Edits <c>weir.yaml</c> as text, so that everything the user wrote (comments, order, quoting) stays
/// as it was: <see cref="SetSection"/> replaces one top-level key's block, <see cref="UpsertDeployment"/>
/// adds or replaces one item of <c>deployments:</c>. A YAML library would re-emit the whole file and
/// lose the comments.
/// </summary>
public static partial class WeirYamlEditor
{
    /// <summary>
    /// Replaces the block of the top-level <paramref name="key"/> with <paramref name="block"/> (which
    /// starts with <c>key:</c>), keeping the comment lines above it. A missing key is added before
    /// <c>deployments:</c>, or at the end.
    /// </summary>
    public static string SetSection(string text, string key, string block)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = Lines(text);
        block = block.TrimEnd('\n') + "\n";
        var (start, end) = Section(lines, key);
        if (start >= 0)
        {
            return Join(lines[..start]) + block + Join(lines[end..]);
        }

        var (deployments, _) = Section(lines, "deployments");
        if (deployments >= 0)
        {
            var at = LeadingComments(lines, deployments);
            return Join(lines[..at]) + block + "\n" + Join(lines[at..]);
        }

        var body = Join(lines);
        return body + (body.Length == 0 || body.EndsWith('\n') ? string.Empty : "\n") + block;
    }

    /// <summary>
    /// Adds <paramref name="item"/> (a YAML mapping rendered at column 0, starting with <c>name:</c>)
    /// to <c>deployments:</c>, replacing an existing item with the same <paramref name="name"/>.
    /// </summary>
    public static string UpsertDeployment(string text, string name, string item)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(item);
        var lines = Lines(text);
        var (start, end) = Section(lines, "deployments");
        if (start < 0 || IsEmptyInline(lines[start]))
        {
            return SetSection(text, "deployments", "deployments:\n" + Indent(item, string.Empty));
        }

        // The items of the list and the indentation they use.
        var items = new List<(int Start, int End, string? Name)>();
        string? indent = null;
        for (var i = start + 1; i < end; i++)
        {
            var match = ItemStart().Match(lines[i]);
            if (match.Success && (indent is null || match.Groups[1].Value == indent))
            {
                indent ??= match.Groups[1].Value;
                if (items.Count > 0)
                {
                    items[^1] = items[^1] with { End = i };
                }

                items.Add((i, end, null));
            }
        }

        indent ??= string.Empty;
        for (var k = 0; k < items.Count; k++)
        {
            var block = string.Join('\n', lines[items[k].Start..items[k].End]);
            if (NameOf(block) == name)
            {
                var itemEnd = TrimTrailing(lines, items[k].Start, items[k].End);
                return Join(lines[..items[k].Start]) + Indent(item, indent) + Join(lines[itemEnd..]);
            }
        }

        var insertAt = items.Count > 0 ? TrimTrailing(lines, items[^1].Start, items[^1].End) : start + 1;
        return Join(lines[..insertAt]) + Indent(item, indent) + Join(lines[insertAt..]);
    }

    /// <summary>
    /// Renders a deployment item for <see cref="UpsertDeployment"/>; <paramref name="image"/> is the image a container pool
    /// runs, <paramref name="blocks"/> the <c>blocks:</c> entries (the blocks the flow code reads).
    /// </summary>
    public static string RenderDeployment(string name, string entrypoint, string workPool, IReadOnlyDictionary<string, string>? parameters = null, string? image = null,
        IReadOnlyList<string>? blocks = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"- name: {Quote(name)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  entrypoint: {Quote(entrypoint)}\n");
        if (image is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  work_pool: {{ name: {Quote(workPool)} }}\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  work_pool: {{ name: {Quote(workPool)}, job_variables: {{ image: {Quote(image)} }} }}\n");
        }
        if (blocks is { Count: > 0 })
        {
            text.Append(CultureInfo.InvariantCulture, $"  blocks: [{string.Join(", ", blocks.Select(Quote))}]\n");
        }

        if (parameters is { Count: > 0 })
        {
            text.Append("  parameters:\n");
            foreach (var (key, value) in parameters)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {key}: {value}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Renders a <c>pull:</c> section with one <c>git_clone</c> step.</summary>
    public static string RenderGitClonePull(string repository, string? branch, string? accessTokenReference)
    {
        var text = new StringBuilder("pull:\n- git_clone:\n    id: clone\n");
        text.Append(CultureInfo.InvariantCulture, $"    repository: {Quote(repository)}\n");
        if (branch is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"    branch: {Quote(branch)}\n");
        }

        if (accessTokenReference is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"    access_token: {Quote(accessTokenReference)}\n");
        }

        return text.ToString();
    }

    /// <summary>A YAML single-quoted scalar.</summary>
    public static string Quote(string value) => "'" + (value ?? string.Empty).Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string[] Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        // A trailing newline leaves an empty last element; Join puts the newline back.
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    private static string Join(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The line range of a top-level key's block: its line up to the comments and blank lines that lead into the next key.</summary>
    private static (int Start, int End) Section(string[] lines, string key)
    {
        var start = Array.FindIndex(lines, l => l.StartsWith(key + ":", StringComparison.Ordinal));
        if (start < 0)
        {
            return (-1, -1);
        }

        var next = start + 1;
        while (next < lines.Length && !TopLevelKey().IsMatch(lines[next]))
        {
            next++;
        }

        return (start, next < lines.Length ? LeadingComments(lines, next) : TrimTrailing(lines, start, next));
    }

    /// <summary>The first of the comment and blank lines right above <paramref name="line"/>.</summary>
    private static int LeadingComments(string[] lines, int line)
    {
        while (line > 0 && (lines[line - 1].Length == 0 || lines[line - 1].StartsWith('#')))
        {
            line--;
        }

        return line;
    }

    private static int TrimTrailing(string[] lines, int start, int end)
    {
        while (end > start + 1 && (lines[end - 1].Trim().Length == 0 || lines[end - 1].TrimStart().StartsWith('#')))
        {
            end--;
        }

        return end;
    }

    private static bool IsEmptyInline(string line)
    {
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        var hash = value.IndexOf('#', StringComparison.Ordinal);
        value = hash >= 0 ? value[..hash].Trim() : value;
        return value is "[]" or "null" or "~";
    }

    private static string? NameOf(string block)
    {
        var match = NameLine().Match(block);
        return match.Success ? match.Groups[1].Value.Trim().Trim('\'', '"') : null;
    }

    private static string Indent(string item, string indent) =>
        Join(Lines(item).Select(l => l.Length == 0 ? l : indent + l));

    [GeneratedRegex(@"^[A-Za-z_][\w-]*\s*:")]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"^(\s*)-\s")]
    private static partial Regex ItemStart();

    [GeneratedRegex(@"^\s*-?\s*name:\s*([^#\n]+)", RegexOptions.Multiline)]
    private static partial Regex NameLine();
}
