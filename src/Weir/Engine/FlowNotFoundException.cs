namespace Weir.Engine;

/// <summary>The entrypoint names a flow the code does not have.</summary>
internal sealed class FlowNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowNotFoundException(string message)
        : base(message)
    {
    }
}
