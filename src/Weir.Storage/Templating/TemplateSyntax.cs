using System.Buffers;
using System.Globalization;

namespace Weir.Storage.Templating;

/// <summary>
/// Which <c>{{ … }}</c> are Weir's. Only these shapes are references; any other text between braces
/// (a Go template such as <c>{{ json .State }}</c>, Jinja, Helm) stays as it is:
/// <list type="bullet">
/// <item><c>$NAME</c>, an environment variable (letters, digits and '_', not starting with a digit);</item>
/// <item><c>weir.…</c> (blocks and variables) and <c>prefect.…</c> (an error that says to write <c>weir.</c>);</item>
/// <item><c>step_id.field</c> or <c>step_id[0]…</c>: a word of letters, digits, '_' and '-' followed by a path;</item>
/// <item>a single word that is the id of a step (its whole outputs);</item>
/// <item>nothing at all (<c>{{ }}</c>, an error).</item>
/// </list>
/// No reference holds spaces or braces. <c>{{ '{{' }}</c> stands for a literal <c>{{</c>.
/// </summary>
internal static class TemplateSyntax
{
    /// <summary>What stands between the braces of the escape <c>{{ '{{' }}</c>.</summary>
    public const string Escape = "'{{'";

    private static readonly SearchValues<char> s_environmentNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>The placeholders in <paramref name="text"/>, in order. <paramref name="isStepId"/> says whether a single word is a step's id.</summary>
    public static List<Placeholder> Find(string text, Func<string, bool> isStepId)
    {
        var found = new List<Placeholder>();
        var open = text.IndexOf("{{", StringComparison.Ordinal);
        while (open >= 0)
        {
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            var content = text[(open + 2)..close].Trim();
            if (content == Escape || IsReference(content, isStepId))
            {
                found.Add(new Placeholder(open, close + 2 - open, content, content == Escape));
                open = text.IndexOf("{{", close + 2, StringComparison.Ordinal);
            }
            else
            {
                // Not ours; a reference may still start at the next brace ("{{{ a.b }}").
                open = text.IndexOf("{{", open + 1, StringComparison.Ordinal);
            }
        }

        return found;
    }

    /// <summary>
    /// The reference after a <c>{{</c> that no <c>}}</c> follows (a typo that would otherwise pass as
    /// text), or null. Only a reference-shaped start counts: a lone <c>{{</c> in a script is text.
    /// </summary>
    public static string? Unterminated(string text, IReadOnlyList<Placeholder> found, Func<string, bool> isStepId)
    {
        var from = found.Count == 0 ? 0 : found[^1].Start + found[^1].Length;
        var open = text.IndexOf("{{", from, StringComparison.Ordinal);
        if (open < 0 || text.IndexOf("}}", open, StringComparison.Ordinal) >= 0)
        {
            return null;
        }

        var rest = text[(open + 2)..].TrimStart();
        var end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end]) && rest[end] is not ('{' or '}'))
        {
            end++;
        }

        var token = rest[..end];
        return token.Length > 0 && IsReference(token, isStepId) ? (token.Length > 60 ? token[..60] + "…" : token) : null;
    }

    /// <summary>True when <paramref name="content"/> (trimmed) has one of the shapes of a reference.</summary>
    public static bool IsReference(string content, Func<string, bool> isStepId)
    {
        if (content.Length == 0)
        {
            return true;
        }

        if (content.Any(c => char.IsWhiteSpace(c) || c is '{' or '}' or '\'' or '"'))
        {
            return false;
        }

        if (content[0] == '$')
        {
            return content.Length > 1 && !char.IsAsciiDigit(content[1]) && !content.AsSpan(1).ContainsAnyExcept(s_environmentNameChars);
        }

        if (content.StartsWith("weir.", StringComparison.Ordinal) || content.StartsWith("prefect.", StringComparison.Ordinal))
        {
            return true;
        }

        var idLength = content.AsSpan().IndexOfAny('.', '[');
        var id = idLength < 0 ? content : content[..idLength];
        if (id.Length == 0 || !id.All(IsIdChar))
        {
            return false;
        }

        return idLength >= 0 || isStepId(id);
    }

    /// <summary>
    /// Splits a path such as <c>items[0].name</c> into its steps; returns null and the part at fault
    /// when a part is neither a field name nor a field followed by <c>[number]</c> indexes.
    /// </summary>
    public static List<PathStep>? ParsePath(string path, out string? wrongPart)
    {
        var steps = new List<PathStep>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var key = bracket < 0 ? part : part[..bracket];
            if (key.Length == 0 || key.Contains(']', StringComparison.Ordinal))
            {
                wrongPart = part;
                return null;
            }

            steps.Add(new PathStep(key, 0));
            for (var i = bracket; i >= 0 && i < part.Length;)
            {
                var close = part.IndexOf(']', i);
                if (part[i] != '[' || close < 0 || !int.TryParse(part.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    wrongPart = part;
                    return null;
                }

                steps.Add(new PathStep(null, index));
                i = close + 1;
            }
        }

        wrongPart = null;
        return steps;
    }

    private static bool IsIdChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';
}
