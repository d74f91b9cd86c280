namespace Weir.Storage.Tests.ObjectStores;

[Collection(AzuriteCollection.Name)]
public sealed class AzureStepTests(AzuriteFixture azurite) : ObjectStoreStepTests
{
    protected override string Suffix => "azure_blob_storage";

    protected override string ContainerArgument => "container";

    protected override string? EndpointUrl => null;

    protected override string BlockType => "azure-blob-storage-credentials";

    // A well-formed key that is not the account's.
    protected override string WrongSecret => Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());

    protected override IReadOnlyDictionary<string, object?> Credentials => new Dictionary<string, object?>
    {
        ["_block_type"] = "azure-blob-storage-credentials", ["connection_string"] = azurite.ConnectionString,
    };

    protected override IReadOnlyDictionary<string, object?> WrongCredentials => new Dictionary<string, object?>
    {
        ["_block_type"] = "azure-blob-storage-credentials", ["account_url"] = azurite.AccountUrl, ["account_key"] = WrongSecret,
    };

    protected override Task<string> NewContainerAsync() => azurite.CreateContainerAsync();
}
