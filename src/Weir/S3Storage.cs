namespace Weir;

/// <summary>A flow kept in Amazon S3 or an S3-compatible store; credentials from an <c>aws-credentials</c> block.</summary>
public sealed class S3Storage : ObjectStoreStorage
{
    /// <summary>Creates the storage.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The script's object key. <value>Defaults to a generated key.</value></param>
    public S3Storage(string bucket, string? key = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        Bucket = bucket;
        Key = key;
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>A compatible endpoint (another S3-compatible store, or an emulator). <value>Defaults to the cloud service.</value></summary>
    public string? EndpointUrl { get; init; }

    /// <inheritdoc />
    public override string Kind => "S3";

    /// <inheritdoc />
    public override string Location => Bucket;
}
