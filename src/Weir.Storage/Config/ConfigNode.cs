namespace Weir.Storage.Config;

/// <summary>A value read from configuration (YAML or stored JSON) that knows where it came from.</summary>
public abstract record ConfigNode(SourceLocation Location)
{
    /// <summary>The value as plain .NET objects: string, long, double, bool, null, dictionaries and lists.</summary>
    public abstract object? ToPlain();
}
