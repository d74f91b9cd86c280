using System.Text;

namespace Weir.Storage.Ignore;

/// <summary>
/// One line of a <c>.weirignore</c>, read the way git reads a <c>.gitignore</c> line (<c>dir.c</c>):
/// <c>!</c> negates; one trailing <c>/</c> matches folders only; a pattern with no other slash matches
/// a name at any depth below the ignore file's folder, and one with a slash (leading or in the middle)
/// matches the path from that folder, through <see cref="WildMatch"/>.
/// </summary>
internal sealed class IgnoreRule
{
    private readonly byte[] _pattern;
    private readonly byte[] _base;

    private IgnoreRule(string line, string baseDirectory, bool negated, bool directoryOnly, bool nameOnly, byte[] pattern)
    {
        Pattern = line;
        BaseDirectory = baseDirectory;
        Negated = negated;
        DirectoryOnly = directoryOnly;
        NameOnly = nameOnly;
        _pattern = pattern;
        _base = Encoding.UTF8.GetBytes(baseDirectory);
    }

    /// <summary>The line as read (after git's trimming), for messages.</summary>
    public string Pattern { get; }

    /// <summary>The folder (relative to the project, '/'-separated, empty for the root) whose ignore file holds this line.</summary>
    public string BaseDirectory { get; }

    /// <summary>True for a <c>!</c> line, which re-includes what it matches.</summary>
    public bool Negated { get; }

    /// <summary>True for a line ending in <c>/</c>: it matches folders only.</summary>
    public bool DirectoryOnly { get; }

    /// <summary>True when the pattern has no slash (other than a trailing one): it is matched against the last part of a path.</summary>
    public bool NameOnly { get; }

    /// <summary>
    /// Parses one line, already split from its file. Returns null for a line git skips (empty, a
    /// comment) and for one whose pattern is empty, which git keeps but which can match nothing.
    /// </summary>
    public static IgnoreRule? Parse(string line, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (line.Length == 0 || line[0] == '#')
        {
            return null;
        }

        // One carriage return before the line feed goes; git reads the line as a C string, so a NUL ends it.
        var text = line.EndsWith('\r') ? line[..^1] : line;
        if (text.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            text = text[..nul];
        }

        text = TrimTrailingSpaces(text);
        var read = text;
        var negated = text.StartsWith('!');
        if (negated)
        {
            text = text[1..];
        }

        // Only one trailing slash is taken off, even an escaped one: "a//" keeps "a/", which matches nothing.
        var directoryOnly = text.EndsWith('/');
        if (directoryOnly)
        {
            text = text[..^1];
        }

        if (text.Length == 0)
        {
            return null;
        }

        var nameOnly = !text.Contains('/', StringComparison.Ordinal);
        if (!nameOnly && text[0] == '/')
        {
            // Exactly one leading slash anchors the pattern; a second one stays and matches nothing.
            text = text[1..];
        }

        return new IgnoreRule(read, baseDirectory, negated, directoryOnly, nameOnly, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// True when this rule's pattern matches the entry (its path relative to the project as UTF-8, '/'-separated),
    /// ignoring negation. Entries outside the rule's folder never match.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> path, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
        {
            return false;
        }

        if (_base.Length > 0)
        {
            if (path.Length <= _base.Length || path[_base.Length] != '/' || !path.StartsWith(_base))
            {
                return false;
            }

            path = path[(_base.Length + 1)..];
        }

        if (NameOnly)
        {
            // git matches a slash-free pattern against the name alone, without its path-name rules.
            return WildMatch.IsMatch(_pattern, path[(path.LastIndexOf((byte)'/') + 1)..], pathName: false);
        }

        return WildMatch.IsMatch(_pattern, path, pathName: true);
    }

    /// <summary>
    /// Drops unescaped trailing spaces (not tabs) as git does: a backslash protects the character after
    /// it, so "a\ " keeps its space and "a\\ " loses it.
    /// </summary>
    private static string TrimTrailingSpaces(string text)
    {
        var lastSpace = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ' ':
                    if (lastSpace < 0)
                    {
                        lastSpace = i;
                    }

                    break;
                case '\\':
                    i++;
                    if (i == text.Length)
                    {
                        return text;
                    }

                    lastSpace = -1;
                    break;
                default:
                    lastSpace = -1;
                    break;
            }
        }

        return lastSpace < 0 ? text : text[..lastSpace];
    }
}
