namespace Weir.Storage.Templating;

/// <summary>What placeholders can refer to at one moment, and what to leave for later.</summary>
public sealed class TemplateScope
{
    private readonly bool? _resolvedAgainLater;

    /// <summary>Outputs of the steps that have run, by step id.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, object?>> StepOutputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids of steps that run later (pull steps, at deploy time): references to them are left as they are.</summary>
    public HashSet<string> DeferredStepIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads environment variables for <c>{{ $NAME }}</c>; null leaves them as they are. <value>Defaults to the process environment.</value></summary>
    public Func<string, string?>? Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Resolves blocks and variables; null leaves <c>weir.blocks</c> and <c>weir.variables</c> references as they are (deploy time). <value>Defaults to null.</value></summary>
    public IReferenceResolver? References { get; init; }

    /// <summary>
    /// True when these values are resolved again by a later pass, as pull steps are: at deploy time
    /// (references left for the worker) and again on the worker at run time. Such a pass leaves the
    /// escape <c>{{ '{{' }}</c> as written, so that the last pass turns it into <c>{{</c> and does not
    /// read the braces after it as a reference.
    /// <value>Defaults to true when <see cref="References"/> is null (blocks and variables are left for a later pass), false otherwise.</value>
    /// </summary>
    public bool ResolvedAgainLater
    {
        get => _resolvedAgainLater ?? References is null;
        init => _resolvedAgainLater = value;
    }

    /// <summary>Learns the secret values that block references bring in. <value>Defaults to a new redactor.</value></summary>
    public Redactor Redactor { get; init; } = new();
}
