namespace Weir.Client;

/// <summary>What code a flow run executed, sent with its first events (an <see cref="EventBatch"/>).</summary>
/// <param name="RunId">The flow run.</param>
/// <param name="Commit">The git commit the code came from, when a git step fetched it.</param>
/// <param name="ManifestHash">The object-store manifest hash, when an object store's pull fetched it.</param>
/// <param name="ContentHash">The hash of the flow's source as compiled.</param>
/// <param name="DriftWarning">The structure-drift warning, when the code's tasks differ from the deployment's.</param>
public sealed record RunProvenance(Guid RunId, string? Commit, string? ManifestHash, string? ContentHash, string? DriftWarning);
