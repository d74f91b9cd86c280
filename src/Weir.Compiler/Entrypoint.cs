namespace Weir.Compiler;

/// <summary>A flow's address: <c>path/in/repo/file.cs:flow-name</c>, relative to the code's root.</summary>
/// <param name="Path">The source file.</param>
/// <param name="FlowName">The flow's name, or null to mean "the only flow in the file".</param>
public sealed record Entrypoint(string Path, string? FlowName)
{
    /// <summary>Parses <c>file.cs:name</c> or <c>file.cs</c>.</summary>
    public static Entrypoint Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var colon = text.LastIndexOf(':');

        // A colon at index 1 is a Windows drive letter, not a separator.
        if (colon > 1 && colon < text.Length - 1 && !text[(colon + 1)..].Contains('/') && !text[(colon + 1)..].Contains('\\'))
        {
            return new Entrypoint(text[..colon], text[(colon + 1)..]);
        }

        if (colon == text.Length - 1)
        {
            throw new ArgumentException($"Entrypoint '{text}' ends with ':'; write it as path/to/file.cs:flow-name.", nameof(text));
        }

        return new Entrypoint(text, null);
    }

    /// <inheritdoc />
    public override string ToString() => FlowName is null ? Path : Path + ":" + FlowName;
}
