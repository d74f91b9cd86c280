namespace Weir.Storage.Ignore;

/// <summary>
/// Git's glob matcher (<c>wildmatch.c</c>) reimplemented: it compares UTF-8 bytes, as git does, so a
/// <c>?</c> or a bracket matches one byte and the character classes (<c>[:alpha:]</c>, …) know ASCII
/// only. With <c>pathName</c>, <c>*</c>, <c>?</c> and brackets never match a slash and <c>**</c> spans
/// folders when it stands alone between slashes (or at either end); a <c>**</c> beside other
/// characters is an ordinary <c>*</c>. Malformed patterns (an unclosed bracket, an unknown class name,
/// a trailing backslash) match nothing, as in git, rather than failing.
/// </summary>
internal static class WildMatch
{
    // The four outcomes git's matcher passes between its recursive calls. The two aborts cut the
    // backtracking short: once a '*' cannot be made to match, no other split of the text before it
    // can help (AbortAll), or only a '**' further out can (AbortToDoubleStar). They keep a pattern
    // with many stars linear instead of exponential, and they are part of what decides the verdict.
    private enum Outcome
    {
        Match,
        NoMatch,
        AbortAll,
        AbortToDoubleStar,
    }

    /// <summary>True when the whole text matches the whole pattern.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool pathName) =>
        Match(pattern, 0, text, 0, pathName) == Outcome.Match;

    /// <summary>Matches <paramref name="pattern"/> from index <paramref name="start"/> against <paramref name="text"/> from <paramref name="t"/>.</summary>
    private static Outcome Match(ReadOnlySpan<byte> pattern, int start, ReadOnlySpan<byte> text, int t, bool pathName)
    {
        for (var p = start; p < pattern.Length; p++, t++)
        {
            var pc = pattern[p];
            if (t == text.Length && pc != '*')
            {
                return Outcome.AbortAll;
            }

            var tc = At(text, t);
            switch (pc)
            {
                case (byte)'\\':
                    // The next byte is literal; a backslash at the very end compares with nothing and fails.
                    p++;
                    if (p == pattern.Length || tc != pattern[p])
                    {
                        return Outcome.NoMatch;
                    }

                    break;
                case (byte)'?':
                    if (pathName && tc == '/')
                    {
                        return Outcome.NoMatch;
                    }

                    break;
                case (byte)'*':
                    if (Star(pattern, start, ref p, text, ref t, pathName) is { } decided)
                    {
                        return decided;
                    }

                    // "*/": both now stand on a slash, which the loop steps over.
                    break;
                case (byte)'[':
                    if (Bracket(pattern, ref p, tc) is not { } matched)
                    {
                        return Outcome.AbortAll;
                    }

                    if (!matched || (pathName && tc == '/'))
                    {
                        return Outcome.NoMatch;
                    }

                    break;
                default:
                    if (tc != pc)
                    {
                        return Outcome.NoMatch;
                    }

                    break;
            }
        }

        return t == text.Length ? Outcome.Match : Outcome.NoMatch;
    }

    /// <summary>
    /// One run of stars at <paramref name="p"/>. Returns the outcome when the star run decides it;
    /// returns null when a single star followed by a slash has moved <paramref name="t"/> to the text's
    /// next slash and <paramref name="p"/> to the pattern's slash, where matching goes on.
    /// </summary>
    private static Outcome? Star(ReadOnlySpan<byte> pattern, int start, ref int p, ReadOnlySpan<byte> text, ref int t, bool pathName)
    {
        var first = p;
        p++;
        bool matchSlash;
        if (At(pattern, p) == '*')
        {
            while (At(pattern, p) == '*')
            {
                p++;
            }

            var next = At(pattern, p);
            var atSegmentStart = first == start || pattern[first - 1] == '/';
            var atSegmentEnd = next == 0 || next == '/' || (next == '\\' && At(pattern, p + 1) == '/');
            if (!pathName)
            {
                matchSlash = true;
            }
            else if (atSegmentStart && atSegmentEnd)
            {
                // "**/" may stand for no folder at all: try the rest of the pattern right here first.
                if (next == '/' && Match(pattern, p + 1, text, t, pathName) == Outcome.Match)
                {
                    return Outcome.Match;
                }

                matchSlash = true;
            }
            else
            {
                matchSlash = false;
            }
        }
        else
        {
            matchSlash = !pathName;
        }

        if (p == pattern.Length)
        {
            // A trailing "**" takes everything; a trailing "*" only what has no slash.
            return !matchSlash && text[t..].Contains((byte)'/') ? Outcome.AbortToDoubleStar : Outcome.Match;
        }

        if (!matchSlash && pattern[p] == '/')
        {
            // One star before a slash takes the rest of the current folder name.
            var slash = text[t..].IndexOf((byte)'/');
            if (slash < 0)
            {
                return Outcome.AbortAll;
            }

            t += slash;
            return null;
        }

        var literal = pattern[p];
        for (; t < text.Length; t++)
        {
            if (!IsGlobSpecial(literal))
            {
                // Skip ahead to the next place the literal after the stars can match.
                while (t < text.Length && text[t] != literal && (matchSlash || text[t] != '/'))
                {
                    t++;
                }

                if (t == text.Length || text[t] != literal)
                {
                    return matchSlash ? Outcome.AbortAll : Outcome.AbortToDoubleStar;
                }
            }

            var outcome = Match(pattern, p, text, t, pathName);
            if (outcome != Outcome.NoMatch)
            {
                if (!matchSlash || outcome != Outcome.AbortToDoubleStar)
                {
                    return outcome;
                }
            }
            else if (!matchSlash && text[t] == '/')
            {
                return Outcome.AbortToDoubleStar;
            }
        }

        return Outcome.AbortAll;
    }

    /// <summary>
    /// A bracket expression starting at <paramref name="p"/> ('['), tested against one text byte.
    /// Leaves <paramref name="p"/> on its closing ']'. Returns null for a malformed bracket (no closing
    /// ']', a backslash at the end, an unknown class name): git then gives up on the whole match.
    /// </summary>
    private static bool? Bracket(ReadOnlySpan<byte> pattern, ref int p, byte tc)
    {
        var c = At(pattern, ++p);
        if (c == '^')
        {
            c = (byte)'!';
        }

        var negated = c == '!';
        if (negated)
        {
            c = At(pattern, ++p);
        }

        byte previous = 0;
        var matched = false;
        do
        {
            if (c == 0)
            {
                return null;
            }

            if (c == '\\')
            {
                c = At(pattern, ++p);
                if (c == 0)
                {
                    return null;
                }

                matched |= tc == c;
            }
            else if (c == '-' && previous != 0 && At(pattern, p + 1) is not (0 or (byte)']'))
            {
                c = At(pattern, ++p);
                if (c == '\\')
                {
                    c = At(pattern, ++p);
                    if (c == 0)
                    {
                        return null;
                    }
                }

                // A reversed range such as "z-a" adds nothing (its first character was a member already); git does not reject it.
                matched |= tc >= previous && tc <= c;
                c = 0;
            }
            else if (c == '[' && At(pattern, p + 1) == ':')
            {
                var name = p + 2;
                var close = name;
                while (At(pattern, close) is not (0 or (byte)']'))
                {
                    close++;
                }

                if (At(pattern, close) == 0)
                {
                    return null;
                }

                if (close - name - 1 < 0 || pattern[close - 1] != ':')
                {
                    // "[:" without ":]" before the next ']': the '[' is an ordinary member.
                    matched |= tc == '[';
                }
                else
                {
                    if (CharacterClass.Contains(pattern[name..(close - 1)], tc) is not { } inClass)
                    {
                        return null;
                    }

                    matched |= inClass;
                    p = close;
                    c = 0;
                }
            }
            else
            {
                matched |= tc == c;
            }

            previous = c;
            c = At(pattern, ++p);
        }
        while (c != ']');

        return matched != negated;
    }

    private static byte At(ReadOnlySpan<byte> bytes, int index) => index < bytes.Length ? bytes[index] : (byte)0;

    /// <summary>The bytes git's matcher treats as glob syntax: <c>* ? [ \</c>.</summary>
    internal static bool IsGlobSpecial(byte b) => b is (byte)'*' or (byte)'?' or (byte)'[' or (byte)'\\';
}
