namespace Weir.Worker;

/// <summary>Which code the pull steps fetched: the git commit or the object-store manifest's hash, and the compiled source's hash when it got that far.</summary>
public sealed record FetchedCode(string? Commit, string? ManifestHash, string? ContentHash = null);
