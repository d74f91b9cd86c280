namespace Weir.Storage.Config;

/// <summary>A scalar: a string, a whole number (long), a number (double), a boolean or null.</summary>
public sealed record ConfigScalar(object? Value, SourceLocation Location) : ConfigNode(Location)
{
    /// <inheritdoc />
    public override object? ToPlain() => Value;
}
