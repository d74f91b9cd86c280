namespace Weir.Storage.Templating;

/// <summary>What placeholders can refer to at one moment, and what to leave for later.</summary>
public sealed class TemplateScope
{
    /// <summary>Outputs of the steps that have run, by step id.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, object?>> StepOutputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids of steps that run later (pull steps, at deploy time): references to them are left as they are.</summary>
    public HashSet<string> DeferredStepIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads environment variables for <c>{{ $NAME }}</c>; null leaves them as they are. <value>Defaults to the process environment.</value></summary>
    public Func<string, string?>? Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Resolves blocks and variables; null leaves <c>weir.blocks</c> and <c>weir.variables</c> references as they are (deploy time). <value>Defaults to null.</value></summary>
    public IReferenceResolver? References { get; init; }

    /// <summary>Learns the secret values that block references bring in. <value>Defaults to a new redactor.</value></summary>
    public Redactor Redactor { get; init; } = new();
}
