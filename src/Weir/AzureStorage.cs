namespace Weir;

/// <summary>A flow kept in Azure Blob Storage; credentials from an <c>azure-blob-storage-credentials</c> block.</summary>
public sealed class AzureStorage : ObjectStoreStorage
{
    /// <summary>Creates the storage.</summary>
    /// <param name="container">The container.</param>
    /// <param name="key">The script's object key. <value>Defaults to a generated key.</value></param>
    public AzureStorage(string container, string? key = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(container);
        Container = container;
        Key = key;
    }

    /// <summary>The container.</summary>
    public string Container { get; }

    /// <inheritdoc />
    public override string Kind => "Azure";

    /// <inheritdoc />
    public override string Location => Container;
}
