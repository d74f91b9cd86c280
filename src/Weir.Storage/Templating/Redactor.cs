namespace Weir.Storage.Templating;

/// <summary>
/// Knows the secret values seen so far (from secret block fields) and removes them from any text
/// before it is logged or put in an error message.
/// </summary>
public sealed class Redactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "********";

    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Remembers a secret value. Values shorter than 4 characters are not redacted (they would mangle ordinary text).</summary>
    public void Add(string? secret)
    {
        if (secret is { Length: >= 4 })
        {
            lock (_gate)
            {
                _secrets.Add(secret);
            }
        }
    }

    /// <summary>The text with every known secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            foreach (var secret in _secrets.OrderByDescending(s => s.Length))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
