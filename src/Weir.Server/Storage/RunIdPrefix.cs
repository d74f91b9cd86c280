namespace Weir.Server.Storage;

/// <summary>The start of a flow run's id or short id as people type it: hexadecimal digits, hyphens optional, any case.</summary>
internal static class RunIdPrefix
{
    /// <summary>The digits, lowercase and without hyphens; null when <paramref name="text"/> is not the start of an id.</summary>
    public static string? Normalize(string text)
    {
        var digits = text.Trim().Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return digits.Length is > 0 and <= 32 && digits.All(char.IsAsciiHexDigitLower) ? digits : null;
    }

    public static string Invalid(string text)
    {
        var shown = new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]) + (text.Length > 40 ? "…" : string.Empty);
        return $"'{shown}' is not a flow run id or the start of one: ids are hexadecimal digits (0-9, a-f), as weir flow-run ls shows them.";
    }

    /// <summary>The lowest and highest ids that start with <paramref name="digits"/> (a prefix of the 32 digits).</summary>
    public static (Guid Low, Guid High) IdRange(string digits) =>
        (Guid.ParseExact(digits.PadRight(32, '0'), "N"), Guid.ParseExact(digits.PadRight(32, 'f'), "N"));
}
