using System.Text;

namespace Weir.Compiler;

/// <summary>
/// Reads the directives of a flow file the way .NET 10 file-based apps place them: <c>#!</c> on the
/// first line and <c>#:kind value</c> lines before the first C# token (blank lines, comments and
/// other preprocessor lines may sit between them). Each directive line is blanked to spaces of the
/// same length, so every line and column Roslyn reports is the user's own. A <c>#:</c> line after
/// the first token is left in place for Roslyn to report (CS9297), as <c>dotnet run</c> does.
/// </summary>
internal static class DirectiveReader
{
    /// <summary>Returns the text to compile and the package directives; adds located WEIR001 errors to <paramref name="errors"/>.</summary>
    public static string Read(string text, string path, List<PackageReference> packages, List<string> errors)
    {
        var output = new StringBuilder(text.Length);
        var lineNumber = 0;
        var inHeader = true;
        var inBlockComment = false;
        foreach (var line in SplitKeepingEndings(text))
        {
            lineNumber++;
            var content = line.TrimEnd('\r', '\n');
            var trimmed = content.TrimStart();
            var isDirective = inHeader && !inBlockComment
                && ((lineNumber == 1 && content.StartsWith("#!", StringComparison.Ordinal)) || trimmed.StartsWith("#:", StringComparison.Ordinal));
            if (!isDirective)
            {
                if (inHeader)
                {
                    inHeader = IsTrivia(trimmed, ref inBlockComment);
                }

                output.Append(line);
                continue;
            }

            if (trimmed.StartsWith("#:", StringComparison.Ordinal))
            {
                ReadDirective(path, lineNumber, content.Length - trimmed.Length + 1, trimmed, packages, errors);
            }

            output.Append(' ', content.Length).Append(line, content.Length, line.Length - content.Length);
        }

        return output.ToString();
    }

    /// <summary>True when a header line holds no C# token: blank, a comment, or a preprocessor line.</summary>
    private static bool IsTrivia(string line, ref bool inBlockComment)
    {
        while (true)
        {
            if (inBlockComment)
            {
                var end = line.IndexOf("*/", StringComparison.Ordinal);
                if (end < 0)
                {
                    return true;
                }

                inBlockComment = false;
                line = line[(end + 2)..].TrimStart();
            }

            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('#'))
            {
                return true;
            }

            if (!line.StartsWith("/*", StringComparison.Ordinal))
            {
                return false;
            }

            inBlockComment = true;
            line = line[2..];
        }
    }

    private static void ReadDirective(string path, int line, int column, string directive, List<PackageReference> packages, List<string> errors)
    {
        var body = directive[2..];
        var space = body.IndexOfAny([' ', '\t']);
        var kind = space < 0 ? body : body[..space];
        var value = space < 0 ? string.Empty : WithoutTrailingComment(body[(space + 1)..]);
        switch (kind)
        {
            case "package":
                var at = value.IndexOf('@', StringComparison.Ordinal);
                if (at <= 0 || at == value.Length - 1 || value.Any(char.IsWhiteSpace))
                {
                    errors.Add($"{path}({line},{column}): error WEIR001: '{directive.Trim()}' needs a package name and a version; write it as #:package Name@Version (for example #:package Humanizer.Core@2.14.1).");
                    return;
                }

                var reference = new PackageReference(value[..at], value[(at + 1)..], line, column);
                if (!reference.IsWeirSdk)
                {
                    packages.Add(reference);
                }

                return;
            case "property" or "sdk":
                // Project settings of file-based apps; Weir builds flows its own way and ignores them.
                return;
            case "project":
                errors.Add($"{path}({line},{column}): error WEIR001: Weir does not support #:project references; publish the code as a package and use #:package Name@Version, or copy it into the flow file.");
                return;
            default:
                errors.Add($"{path}({line},{column}): error WEIR001: unknown directive '#:{kind}'; Weir understands #:package Name@Version (and ignores #:property and #:sdk).");
                return;
        }
    }

    /// <summary>Tolerates <c>#:package A@1.0   // why</c>, which <c>dotnet run</c> does not.</summary>
    private static string WithoutTrailingComment(string value)
    {
        var comment = value.IndexOf("//", StringComparison.Ordinal);
        return (comment > 0 && char.IsWhiteSpace(value[comment - 1]) ? value[..comment] : value).Trim();
    }

    private static IEnumerable<string> SplitKeepingEndings(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
