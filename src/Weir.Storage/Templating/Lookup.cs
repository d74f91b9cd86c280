namespace Weir.Storage.Templating;

/// <summary>What one reference resolved to.</summary>
/// <param name="Resolved">False when the scope defers the reference (it stays as written).</param>
/// <param name="Value">The value it stands for.</param>
/// <param name="Block">The block the value comes from, if any: such values may carry secrets.</param>
/// <param name="WholeBlock">True when the value is the whole block document.</param>
internal readonly record struct Lookup(bool Resolved, object? Value, BlockValue? Block = null, bool WholeBlock = false)
{
    /// <summary>A reference left for a later pass.</summary>
    public static Lookup Deferred => new(false, null);
}
