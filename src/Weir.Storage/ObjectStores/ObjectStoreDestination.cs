namespace Weir.Storage.ObjectStores;

/// <summary>
/// Where one pushed project lives in a store: the key prefix of its folder (empty for the root, else
/// ending in '/'), the file name of its manifest under that prefix, and the bucket or container.
/// </summary>
internal sealed record ObjectStoreDestination(string Prefix, string Manifest, string Container)
{
    /// <summary>The manifest's full key.</summary>
    public string ManifestKey => Prefix + Manifest;
}
