namespace Weir.Worker;

/// <summary>Which code the pull steps fetched: the git commit, or the object-store manifest's hash.</summary>
public sealed record FetchedCode(string? Commit, string? ManifestHash);
