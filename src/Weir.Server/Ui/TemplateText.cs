using System.Text.RegularExpressions;

namespace Weir.Server.Ui;

/// <summary>Splits a pull-step value into literal text and <c>{{ … }}</c> references, so a page can show references as references.</summary>
public static partial class TemplateText
{
    /// <summary>The parts of <paramref name="text"/>, in order: literal text (<c>Reference</c> null) or a reference with its link (blocks and variables).</summary>
    public static IReadOnlyList<(string Text, string? Reference, string? Link)> Split(string text)
    {
        var parts = new List<(string, string?, string?)>();
        var at = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            if (match.Index > at)
            {
                parts.Add((text[at..match.Index], null, null));
            }

            var reference = match.Groups[1].Value;
            parts.Add((match.Value, reference, LinkOf(reference)));
            at = match.Index + match.Length;
        }

        if (at < text.Length)
        {
            parts.Add((text[at..], null, null));
        }

        return parts;
    }

    private static string? LinkOf(string reference)
    {
        var segments = reference.Split('.');
        return segments switch
        {
            ["weir" or "prefect", "blocks", var type, var name, ..] => $"/blocks#{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(name)}",
            ["weir" or "prefect", "variables", var name, ..] => $"/variables#{Uri.EscapeDataString(name)}",
            _ => null,
        };
    }

    [GeneratedRegex(@"\{\{\s*([^{}]+?)\s*\}\}")]
    private static partial Regex Placeholder();
}
