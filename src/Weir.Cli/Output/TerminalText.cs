using System.Globalization;
using System.Text;

namespace Weir.Cli.Output;

/// <summary>
/// Text that came from a run (what a flow printed, state messages, names) made safe to print in a terminal:
/// control characters are written out escaped (<c>\x1b</c>) instead of being sent, so a flow's output cannot
/// move the cursor, recolour, retitle or clear the user's terminal, and bidirectional-override characters
/// (<c>\u202e</c>) cannot reorder what is shown. Tabs stay; line breaks stay where asked for.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text, bool keepLineBreaks = false)
    {
        if (!text.AsSpan().ContainsAnyExcept(s_plain) || !NeedsEscaping(text, keepLineBreaks))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c == '\n' && keepLineBreaks || !IsUnsafe(c))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    < '\u0100' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                });
            }
        }

        return escaped.ToString();
    }

    // Printable ASCII and the tab: most lines are only that, and need no look at each character.
    private static readonly System.Buffers.SearchValues<char> s_plain =
        System.Buffers.SearchValues.Create("\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static bool NeedsEscaping(string text, bool keepLineBreaks)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c) && !(c == '\n' && keepLineBreaks))
            {
                return true;
            }
        }

        return false;
    }

    // C0 and C1 controls and DEL (ESC, CSI, BEL, backspace, carriage return…), and the bidirectional embeddings,
    // overrides and isolates.
    private static bool IsUnsafe(char c) => (char.IsControl(c) && c != '\t') || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
