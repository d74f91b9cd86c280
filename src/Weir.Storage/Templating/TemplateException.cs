using Weir.Storage.Config;

namespace Weir.Storage.Templating;

/// <summary>A placeholder that cannot be resolved, or cannot stand where it is. The message names the reference and where it stands.</summary>
public sealed class TemplateException : Client.WeirException
{
    /// <summary>Creates the exception.</summary>
    public TemplateException(string reference, SourceLocation location, string where, string problem)
        : base($"Unknown reference '{{{{ {reference} }}}}' at {location} ({where}): {problem}")
    {
        Reference = reference;
        Location = location;
    }

    private TemplateException(string message, string reference, SourceLocation location)
        : base(message)
    {
        Reference = reference;
        Location = location;
    }

    /// <summary>The reference, without braces.</summary>
    public string Reference { get; }

    /// <summary>Where it stands.</summary>
    public SourceLocation Location { get; }

    /// <summary>A known reference used where it cannot stand; <paramref name="problem"/> continues the sentence "The reference … at … (where) …".</summary>
    internal static TemplateException Misplaced(string reference, SourceLocation location, string where, string problem) =>
        new($"The reference '{{{{ {reference} }}}}' at {location} ({where}) {problem}", reference, location);
}
