namespace Weir.Storage.ObjectStores;

/// <summary>
/// The few operations the sync needs from a bucket or container. Implementations turn their SDK's
/// failures into <see cref="ObjectStoreException"/> sentences that name the bucket or container and
/// the credentials block, never a secret.
/// </summary>
internal interface IObjectStore : IDisposable
{
    /// <summary>The store's kind for people, e.g. "S3".</summary>
    string Kind { get; }

    /// <summary>Identifies the store in cache keys: kind, endpoint and bucket or container.</summary>
    string CacheIdentity { get; }

    /// <summary>A key's address for messages, e.g. <c>s3://bucket/key</c>.</summary>
    string Describe(string key);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Uploads a file, streamed, in parts when it is large.</summary>
    Task UploadFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>Uploads a small object held in memory (the manifest).</summary>
    Task UploadBytesAsync(string key, byte[] content, CancellationToken cancellationToken);

    /// <summary>A small object's bytes, or null when there is no such object.</summary>
    Task<byte[]?> TryDownloadBytesAsync(string key, CancellationToken cancellationToken);

    /// <summary>Downloads an object into a file, streamed.</summary>
    Task DownloadFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>Deletes objects; keys already gone are not an error.</summary>
    Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);
}
