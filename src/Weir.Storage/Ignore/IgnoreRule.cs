using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Storage.Ignore;

/// <summary>
/// One line of a <c>.weirignore</c>, compiled the way git reads a <c>.gitignore</c> line: <c>!</c>
/// negates, a trailing <c>/</c> matches folders only, a slash at the start or in the middle anchors
/// the pattern to the file's folder, <c>**</c> spans folders, and a backslash escapes the next character.
/// </summary>
internal sealed class IgnoreRule
{
    private readonly Regex _regex;

    private IgnoreRule(string pattern, string baseDirectory, bool negated, bool directoryOnly, Regex regex)
    {
        Pattern = pattern;
        BaseDirectory = baseDirectory;
        Negated = negated;
        DirectoryOnly = directoryOnly;
        _regex = regex;
    }

    /// <summary>The line as written (for messages).</summary>
    public string Pattern { get; }

    /// <summary>The folder (relative to the project, '/'-separated, empty for the root) whose ignore file holds this line.</summary>
    public string BaseDirectory { get; }

    public bool Negated { get; }

    public bool DirectoryOnly { get; }

    /// <summary>Parses a line; returns null for blank lines and comments.</summary>
    public static IgnoreRule? Parse(string line, string baseDirectory)
    {
        var text = TrimTrailingSpaces(line.TrimEnd('\r'));
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        var negated = false;
        if (text[0] == '!')
        {
            negated = true;
            text = text[1..];
        }

        var directoryOnly = false;
        if (text.EndsWith('/') && !text.EndsWith("\\/", StringComparison.Ordinal))
        {
            directoryOnly = true;
            text = text.TrimEnd('/');
        }

        if (text.Length == 0)
        {
            return null;
        }

        // A slash at the start or in the middle anchors the pattern to the ignore file's folder.
        var anchored = text.Contains('/', StringComparison.Ordinal);
        if (text[0] == '/')
        {
            text = text[1..];
        }

        var body = Translate(text);
        var regex = new Regex(anchored ? $"^{body}$" : $"^(?:.*/)?{body}$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        return new IgnoreRule(line.Trim(), baseDirectory, negated, directoryOnly, regex);
    }

    /// <summary>True when this rule's pattern matches the path (relative to the project), ignoring negation.</summary>
    public bool Matches(string relativePath, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
        {
            return false;
        }

        if (BaseDirectory.Length > 0)
        {
            if (!relativePath.StartsWith(BaseDirectory + "/", StringComparison.Ordinal))
            {
                return false;
            }

            relativePath = relativePath[(BaseDirectory.Length + 1)..];
        }

        return _regex.IsMatch(relativePath);
    }

    private static string TrimTrailingSpaces(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == ' ' && !(end > 1 && text[end - 2] == '\\'))
        {
            end--;
        }

        return text[..end];
    }

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var atStart = i == 0 || pattern[i - 1] == '/';
                var atEnd = i + 2 == pattern.Length;
                var slashAfter = i + 2 < pattern.Length && pattern[i + 2] == '/';
                if (atStart && slashAfter)
                {
                    // "**/" : zero or more whole folders.
                    regex.Append("(?:.*/)?");
                    i += 3;
                    continue;
                }

                if (atStart && atEnd && i > 0)
                {
                    // "/**" : everything inside (the slash is already written).
                    regex.Append(".+");
                    i += 2;
                    continue;
                }

                if (atStart && atEnd)
                {
                    regex.Append(".*");
                    i += 2;
                    continue;
                }

                // Any other "**" is an ordinary star.
                regex.Append("[^/]*");
                while (i < pattern.Length && pattern[i] == '*')
                {
                    i++;
                }

                continue;
            }

            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    i++;
                    break;
                case '?':
                    regex.Append("[^/]");
                    i++;
                    break;
                case '[':
                    i = AppendClass(pattern, i, regex);
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[i + 1].ToString()));
                    i += 2;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    i++;
                    break;
            }
        }

        return regex.ToString();
    }

    /// <summary>Appends a bracket expression (<c>[abc]</c>, <c>[!a-z]</c>, <c>[^0-9]</c>); an unclosed bracket is a literal '['.</summary>
    private static int AppendClass(string pattern, int start, StringBuilder regex)
    {
        var i = start + 1;
        var negate = i < pattern.Length && pattern[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var members = new StringBuilder();
        var first = true;
        while (i < pattern.Length && (pattern[i] != ']' || first))
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                c = pattern[++i];
            }

            members.Append(c is '\\' or ']' or '[' or '^' ? "\\" + c : c.ToString());
            first = false;
            i++;
        }

        if (i >= pattern.Length)
        {
            regex.Append("\\[");
            return start + 1;
        }

        // Brackets never match a slash, as in git's wildmatch with WM_PATHNAME.
        regex.Append(negate ? $"[^/{members}]" : $"(?!/)[{members}]");
        return i + 1;
    }
}
