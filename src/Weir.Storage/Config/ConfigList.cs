namespace Weir.Storage.Config;

/// <summary>A sequence.</summary>
public sealed record ConfigList(IReadOnlyList<ConfigNode> Items, SourceLocation Location) : ConfigNode(Location)
{
    /// <inheritdoc />
    public override object? ToPlain() => Items.Select(i => i.ToPlain()).ToList();
}
