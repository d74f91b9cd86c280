namespace Weir.Compiler;

/// <summary>What a structure comparison means for a run.</summary>
public enum StructureVerdict
{
    /// <summary>Nothing that matters changed (task bodies may have).</summary>
    Same,

    /// <summary>The tasks the flow calls changed; the run proceeds with a warning.</summary>
    Drift,

    /// <summary>The parameters changed incompatibly, or the flow is gone; the run fails before any task.</summary>
    Incompatible,
}
