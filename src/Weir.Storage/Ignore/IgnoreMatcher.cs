using System.Buffers;
using System.Text;

namespace Weir.Storage.Ignore;

/// <summary>
/// Decides which files of a project a push leaves out, with git's <c>.gitignore</c> rules and git's
/// matcher: the last matching line wins, <c>!</c> re-includes, and nothing inside an excluded folder
/// can be re-included. Ignore files in sub-folders add rules that apply inside their folder and win
/// over those above. Patterns and paths are compared as UTF-8 bytes and case-sensitively, as git does
/// on Linux.
/// </summary>
public sealed class IgnoreMatcher
{
    private readonly List<IgnoreRule> _rules = [];

    /// <summary>A matcher with the rules of one ignore file at the project's root.</summary>
    public static IgnoreMatcher Parse(string text)
    {
        var matcher = new IgnoreMatcher();
        matcher.Add(text, string.Empty);
        return matcher;
    }

    /// <summary>How many rules (non-blank, non-comment lines) the matcher holds.</summary>
    public int Count => _rules.Count;

    /// <summary>Adds the lines of an ignore file found in <paramref name="baseDirectory"/> ('/'-separated, relative to the project; empty for the root).</summary>
    public void Add(string text, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var normalized = Normalize(baseDirectory);
        // git skips a UTF-8 byte order mark at the start of the file (File.ReadAllText does too).
        foreach (var line in (text.StartsWith('\uFEFF') ? text[1..] : text).Split('\n'))
        {
            if (IgnoreRule.Parse(line, normalized) is { } rule)
            {
                _rules.Add(rule);
            }
        }
    }

    /// <summary>
    /// True when the path (relative to the project, '/'-separated) is left out, either by a rule that
    /// matches it or because one of its folders is left out.
    /// </summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = Normalize(relativePath);
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (IsEntryIgnored(path[..slash], isDirectory: true))
            {
                return true;
            }
        }

        return IsEntryIgnored(path, isDirectory);
    }

    /// <summary>The decision for one entry alone, assuming its folders are not left out (a walker that prunes folders needs only this).</summary>
    internal bool IsEntryIgnored(string relativePath, bool isDirectory)
    {
        var length = Encoding.UTF8.GetMaxByteCount(relativePath.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[512];
            var path = buffer[..Encoding.UTF8.GetBytes(relativePath, buffer)];
            for (var i = _rules.Count - 1; i >= 0; i--)
            {
                if (_rules[i].Matches(path, isDirectory))
                {
                    return !_rules[i].Negated;
                }
            }

            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A '/'-separated path without slashes at either end. A backslash is a folder separator only on Windows; elsewhere it is part of a name, as for git.</summary>
    private static string Normalize(string path) =>
        (Path.DirectorySeparatorChar == '\\' ? path.Replace('\\', '/') : path).Trim('/');
}
