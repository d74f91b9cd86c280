namespace Weir.Client;

/// <summary>What code a run executed.</summary>
public sealed record ProvenanceRequest(string? Commit, string? ManifestHash, string? ContentHash, string? DriftWarning);
