using System.Globalization;
using System.Text;

namespace Weir.Server.Storage;

/// <summary>
/// What a name (deployment, flow, work pool, worker, block, variable) may hold. Names stand in URL paths, file
/// names, log lines and terminals, so the rule is an allow-list, and <see cref="Text"/> states exactly what
/// <see cref="Problem"/> checks: the two are written next to each other so they cannot drift apart.
/// </summary>
internal static class NameRule
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 200;

    /// <summary>The rule, as refusals state it.</summary>
    public static readonly string Text =
        $"a name is 1 to {MaxLength} characters, each an ASCII letter (A-Z, a-z), a digit (0-9), '.', '-' or '_', and starts with a letter or digit";

    /// <summary>Null when <paramref name="name"/> follows the rule, else what breaks it first.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {name.Length} characters long");
        }

        if (!IsLetterOrDigit(name[0]))
        {
            return IsAllowed(name[0]) ? $"it starts with '{name[0]}'" : $"{Describe(name, 0)} at position 1 is not allowed";
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!IsAllowed(name[i]))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{Describe(name, i)} at position {i + 1} is not allowed");
            }
        }

        return null;
    }

    /// <summary>The name as a refusal may echo it: at most 60 characters, controls and invisible format characters escaped.</summary>
    public static string Shown(string name)
    {
        var shown = new StringBuilder();
        foreach (var ch in name.Length > 60 ? name[..60] : name)
        {
            if (char.IsControl(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.Format)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}");
            }
            else
            {
                shown.Append(ch);
            }
        }

        return name.Length > 60 ? shown.Append('…').ToString() : shown.ToString();
    }

    private static bool IsLetterOrDigit(char ch) => char.IsAsciiLetterOrDigit(ch);

    private static bool IsAllowed(char ch) => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_';

    private static string Describe(string name, int index)
    {
        var ch = name[index];
        if (ch == ' ')
        {
            return "a space (U+0020)";
        }

        if (ch is > ' ' and < '\u007f')
        {
            return string.Create(CultureInfo.InvariantCulture, $"'{ch}' (U+{(int)ch:X4})");
        }

        var code = Rune.TryGetRuneAt(name, index, out var rune) ? rune.Value : ch;
        return string.Create(CultureInfo.InvariantCulture, $"U+{code:X4}");
    }
}
