using System.Globalization;
using System.Text;

namespace Weir.Server.Auth;

/// <summary>
/// Where the login page sends a browser afterwards. The path is read the way browsers read a URL (the WHATWG URL
/// standard), so what is checked is what the browser will follow: leading and trailing controls and spaces are dropped,
/// tabs and newlines anywhere are removed, and a backslash in the path is a slash. What is left must be a path on this
/// site (one <c>/</c>, not <c>//</c>, no scheme); anything else goes to <c>/</c>. The result is percent-encoded ASCII,
/// so it can stand in a <c>Location</c> header.
/// </summary>
internal static class ReturnPath
{
    private const string Home = "/";

    /// <summary>U+0000 to U+0020, what a browser trims from both ends of a URL.</summary>
    private static readonly string s_c0ControlOrSpace = string.Concat(Enumerable.Range(0, 0x21).Select(c => (char)c));

    /// <summary>The path to go back to: <paramref name="requested"/> when it stays on this site, else <c>/</c>.</summary>
    public static string Safe(string? requested)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return Home;
        }

        var text = new StringBuilder(requested.Length);
        foreach (var ch in requested.AsSpan().Trim(s_c0ControlOrSpace))
        {
            if (ch is not ('\t' or '\n' or '\r'))
            {
                text.Append(ch);
            }
        }

        // The path ends where the query or the fragment begins; only there is '\' a '/' (in http and https URLs).
        var end = 0;
        while (end < text.Length && text[end] is not ('?' or '#'))
        {
            if (text[end] == '\\')
            {
                text[end] = '/';
            }

            end++;
        }

        // "/x" is a path here; "//x" names another host, "x" or "https:x" is not a path from the site's root.
        if (text.Length == 0 || text[0] != '/' || (text.Length > 1 && text[1] == '/'))
        {
            return Home;
        }

        return Encode(text.ToString());
    }

    /// <summary>Percent-encodes (as UTF-8) everything but printable ASCII, and the characters browsers encode in a path themselves.</summary>
    private static string Encode(string path)
    {
        var encoded = new StringBuilder(path.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var ch = path[i];
            if (ch is > ' ' and < '\u007f' and not ('"' or '<' or '>' or '`' or '{' or '}'))
            {
                encoded.Append(ch);
                continue;
            }

            // A lone surrogate becomes U+FFFD, as a browser's UTF-8 encoder makes it.
            var rune = Rune.TryGetRuneAt(path, i, out var r) ? r : Rune.ReplacementChar;
            if (rune.Utf16SequenceLength == 2)
            {
                i++;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }
}
