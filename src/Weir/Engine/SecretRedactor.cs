namespace Weir.Engine;

/// <summary>
/// The secret values one run has read (<see cref="Secret.GetAsync"/>, the secret fields of <see cref="Block.GetAsync(string, string, CancellationToken)"/>):
/// removed from everything the run reports (log lines, state messages, task run parameters) before it leaves the process.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "********";

    /// <summary>Values shorter than this are not redacted: they would mangle ordinary text (as in the worker's pull steps).</summary>
    public const int MinLength = 4;

    private readonly Lock _gate = new();
    private string[] _secrets = [];

    /// <summary>Remembers a secret value (and its lines, should it span several: logs are cut at line ends).</summary>
    public void Add(string? secret)
    {
        if (secret is not { Length: >= MinLength })
        {
            return;
        }

        lock (_gate)
        {
            var all = new HashSet<string>(_secrets, StringComparer.Ordinal) { secret };
            foreach (var line in secret.Split('\n'))
            {
                if (line.TrimEnd('\r') is { Length: >= MinLength } part)
                {
                    all.Add(part);
                }
            }

            // Longest first, so a secret that contains another is masked whole.
            _secrets = [.. all.OrderByDescending(s => s.Length)];
        }
    }

    /// <summary>The text with every secret read so far replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        var secrets = Volatile.Read(ref _secrets);
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary><see cref="Redact(string)"/>, keeping null.</summary>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
