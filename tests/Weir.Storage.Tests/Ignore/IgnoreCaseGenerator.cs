using System.Text;

namespace Weir.Storage.Tests.Ignore;

/// <summary>
/// Generates small random trees and ignore files that lean on every corner of git's rules: names
/// with glob characters, spaces, '#', '!', tabs and non-ASCII letters; patterns with negation,
/// anchors, <c>**</c> in every position, <c>***</c>, classes (POSIX, negated, reversed, unclosed),
/// escapes, trailing spaces, folder-only and <c>//</c> endings; nested ignore files; CRLF, stray
/// carriage returns, a byte-order mark and a missing final newline.
/// </summary>
internal static class IgnoreCaseGenerator
{
    private static readonly string[] s_names =
    [
        "a", "b", "ab", "ba", "abc", "A", "B", "x.txt", "y.log", "a.b", "1", "2a", ".hidden", "build", "out",
        "a b", "b ", " c", "#n", "!m", "[x]", "*", "?", "a*b", "é", "ü.txt", "Ä", "t\tab", "-", "]", "a-z",
        "q:", "~", "..a", "b\\c", "keep", "Keep.log", "9z",
    ];

    private static readonly string[] s_classes =
    [
        "[ab]", "[!a]", "[^a]", "[a-c]", "[z-a]", "[A-Z]", "[0-9]", "[[:alpha:]]", "[[:digit:]]", "[[:space:]]",
        "[[:upper:]]", "[[:lower:]]", "[[:punct:]]", "[[:alnum:]]", "[[:xdigit:]]", "[[:blank:]]", "[[:cntrl:]]",
        "[[:graph:]]", "[[:print:]]", "[[:bogus:]]", "[[:alpha:]", "[ab", "[]a]", "[!]a]", "[a-]", "[-a]", "[\\]]",
        "[\\\\]", "[[:]", "[[]", "[é]", "[*]", "[?]", "[/]", "[!a-z]", "[a-c-e]", "[[:alpha:][:digit:]]", "[\\a-b]",
        "[x-\\]]", "[!", "[",
    ];

    /// <summary>The case for one seed. With <paramref name="avoidSplitPrefix"/>, no line relies on a bug of git before 2.52 (see <see cref="GitOracle.SplitsLiteralPrefix"/>).</summary>
    public static IgnoreCase Generate(int seed, bool avoidSplitPrefix)
    {
        var random = new Random(seed);
        var names = s_names.OrderBy(_ => random.Next()).Take(random.Next(4, 9)).ToArray();
        var files = new List<string>();
        var directories = new List<string>();
        var ignoreFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        Folder(random, names, string.Empty, 0, files, directories);
        ignoreFiles[string.Empty] = IgnoreText(random, names, avoidSplitPrefix);
        foreach (var directory in directories.Where(_ => random.NextDouble() < 0.35))
        {
            ignoreFiles[directory] = IgnoreText(random, names, avoidSplitPrefix);
        }

        return new IgnoreCase(seed, files, directories, ignoreFiles);
    }

    private static void Folder(Random random, string[] names, string relative, int depth, List<string> files, List<string> directories)
    {
        var count = depth == 0 ? random.Next(2, 6) : random.Next(0, 5);
        foreach (var name in names.OrderBy(_ => random.Next()).Take(count))
        {
            var path = relative.Length == 0 ? name : relative + "/" + name;
            if (depth < 3 && random.NextDouble() < 0.45)
            {
                directories.Add(path);
                Folder(random, names, path, depth + 1, files, directories);
            }
            else
            {
                files.Add(path);
            }
        }
    }

    private static string IgnoreText(Random random, string[] names, bool avoidSplitPrefix)
    {
        var lines = new List<string>();
        var count = random.Next(1, 7);
        while (lines.Count < count)
        {
            var roll = random.NextDouble();
            var line = roll switch
            {
                < 0.04 => "# " + Pick(random, names),
                < 0.07 => string.Empty,
                < 0.09 => "   ",
                _ => Pattern(random, names),
            };
            if (!(avoidSplitPrefix && SplitsPrefix(line)))
            {
                lines.Add(line);
            }
        }

        var newline = random.NextDouble() < 0.15 ? "\r\n" : "\n";
        var text = string.Join(newline, lines) + (random.NextDouble() < 0.8 ? newline : string.Empty);
        return random.NextDouble() < 0.05 ? "\uFEFF" + text : text;
    }

    private static string Pattern(Random random, string[] names)
    {
        var pattern = new StringBuilder();
        var roll = random.NextDouble();
        if (roll < 0.25)
        {
            pattern.Append('!');
        }

        if (random.NextDouble() < 0.2)
        {
            pattern.Append('/');
        }

        var segments = random.NextDouble() switch
        {
            < 0.55 => 1,
            < 0.85 => 2,
            _ => 3,
        };
        for (var i = 0; i < segments; i++)
        {
            if (i > 0)
            {
                pattern.Append('/');
            }

            pattern.Append(random.NextDouble() switch
            {
                < 0.12 => "**",
                < 0.15 => "***",
                _ => Segment(random, names),
            });
        }

        pattern.Append(random.NextDouble() switch
        {
            < 0.2 => "/",
            < 0.23 => "//",
            _ => string.Empty,
        });
        pattern.Append(random.NextDouble() switch
        {
            < 0.06 => "  ",
            < 0.1 => "\\ ",
            < 0.12 => "\\",
            < 0.14 => "\\  ",
            < 0.16 => "\r",
            < 0.17 => "\t",
            _ => string.Empty,
        });
        return pattern.ToString();
    }

    private static string Segment(Random random, string[] names)
    {
        var segment = new StringBuilder();
        var atoms = random.Next(1, 4);
        for (var i = 0; i < atoms; i++)
        {
            var name = Pick(random, names);
            segment.Append(random.Next(16) switch
            {
                < 5 => Escape(random, name),
                < 7 => Escape(random, random.Next(2) == 0 ? name[..random.Next(1, name.Length + 1)] : name[random.Next(name.Length)..]),
                < 10 => "*",
                10 => "?",
                < 13 => s_classes[random.Next(s_classes.Length)],
                13 => "**",
                14 => "\\" + name[random.Next(name.Length)],
                _ => name,
            });
        }

        return segment.ToString();
    }

    /// <summary>The name as a literal pattern, usually (not always) with its glob characters, a leading '#' or '!' and spaces escaped.</summary>
    private static string Escape(Random random, string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            var escape = c is '*' or '?' or '[' or '\\' or '#' or '!' or ' ' && random.NextDouble() < 0.85;
            text.Append(escape ? "\\" + c : c.ToString());
        }

        return text.ToString();
    }

    private static string Pick(Random random, string[] names) => names[random.Next(names.Length)];

    /// <summary>
    /// True when git before 2.52 would read the line differently from git's matcher: its pattern (with
    /// a slash, so matched as a path) starts with literal text not ending in '/' followed by a "**" that
    /// ends a segment. Those gits matched the "**" as if it began the pattern.
    /// </summary>
    private static bool SplitsPrefix(string line)
    {
        var text = line.TrimEnd(' ', '\\', '\r').TrimStart('!');
        text = text.EndsWith('/') ? text[..^1] : text;
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        text = text.StartsWith('/') ? text[1..] : text;
        var special = text.IndexOfAny(['*', '?', '[', '\\']);
        if (special <= 0 || text[special - 1] == '/' || special + 1 >= text.Length || text[special] != '*' || text[special + 1] != '*')
        {
            return false;
        }

        var after = special;
        while (after < text.Length && text[after] == '*')
        {
            after++;
        }

        return after == text.Length || text[after] == '/' || (text[after] == '\\' && after + 1 < text.Length && text[after + 1] == '/');
    }
}
