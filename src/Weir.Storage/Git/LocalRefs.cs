namespace Weir.Storage.Git;

/// <summary>
/// Reads a ref of a bare repository from its files (a loose ref, then <c>packed-refs</c>), which is what
/// <c>git rev-parse</c> does for a plain ref, without starting git. Null when the files do not say.
/// </summary>
internal static class LocalRefs
{
    public static string? Resolve(string repository, string name)
    {
        for (var depth = 0; depth < 5; depth++)
        {
            var loose = Path.Combine(repository, name);
            if (File.Exists(loose))
            {
                var text = File.ReadAllText(loose).Trim();
                if (text.StartsWith("ref: ", StringComparison.Ordinal))
                {
                    name = text[5..].Trim();
                    continue;
                }

                return IsSha(text) ? text : null;
            }

            return Packed(repository, name);
        }

        return null;
    }

    private static string? Packed(string repository, string name)
    {
        var packed = Path.Combine(repository, "packed-refs");
        if (!File.Exists(packed))
        {
            return null;
        }

        foreach (var line in File.ReadLines(packed))
        {
            if (line.Length > 41 && line[0] is not ('#' or '^'))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && line.AsSpan(space + 1).SequenceEqual(name) && IsSha(line[..space]))
                {
                    return line[..space];
                }
            }
        }

        return null;
    }

    private static bool IsSha(string text) => text.Length is 40 or 64 && text.All(char.IsAsciiHexDigitLower);
}
