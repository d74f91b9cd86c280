namespace Weir;

/// <summary>A flow kept in a folder that workers can read (the machine's own disk, or a shared mount).</summary>
/// <param name="directory">The folder workers run the flow from; the flow file must be inside it. <value>Defaults to the flow file's folder.</value></param>
public sealed class LocalStorage(string? directory = null) : FlowStorage
{
    /// <summary>The folder workers run the flow from, or null for the flow file's folder.</summary>
    public string? Directory { get; } = directory;

    /// <inheritdoc />
    public override string Kind => "Local";
}
