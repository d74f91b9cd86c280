namespace Weir.Worker;

/// <summary>What code a run fetched: the git commit or object-store manifest hash, and the compiled source's hash when it got that far.</summary>
/// <param name="Commit">The git commit the pull steps checked out, if any.</param>
/// <param name="ManifestHash">The manifest hash of an object-store pull, if any.</param>
/// <param name="ContentHash">A hash of the flow's source as compiled, when it compiled.</param>
public sealed record RunProvenance(string? Commit, string? ManifestHash, string? ContentHash);
