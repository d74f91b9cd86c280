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

    /// <summary>
    /// True: registration creates the container when it does not exist yet (<c>push_to_azure_blob_storage</c>'s
    /// <c>create_container</c>). <value>Defaults to false: a missing container is an error saying how to create it.</value>
    /// </summary>
    public bool CreateContainer { get; init; }

    /// <inheritdoc />
    public override string Kind => "Azure";

    /// <inheritdoc />
    public override string Location => Container;
}
