namespace Weir.Storage.ObjectStores;

/// <summary>One file of a pushed project: its content hash (SHA-256, lower-case hex) and size in bytes.</summary>
internal sealed record ManifestEntry(string Sha256, long Size);
