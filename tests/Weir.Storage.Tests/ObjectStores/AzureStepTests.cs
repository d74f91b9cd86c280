using Weir.Storage.ObjectStores;
using Weir.Storage.ObjectStores.Azure;
using Weir.Storage.Steps;

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

    private async Task<(IReadOnlyDictionary<string, object?> Outputs, List<string> Printed)> PushToAsync(string container, bool? create, bool dryRun = false)
    {
        var project = Directory.CreateTempSubdirectory("weir-azure-create-").FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "a.cs"), "// a");
        var values = new Dictionary<string, object?> { ["container"] = container, ["folder"] = "proj", ["credentials"] = Credentials };
        if (create is { } c)
        {
            values["create_container"] = c;
        }

        var printed = new List<string>();
        var context = new StepContext(project, Path.Combine(project, ".cache")) { Output = printed.Add, DryRun = dryRun };
        var outputs = await new ObjectStorePushStep(ObjectStoreProvider.Azure).RunAsync(new StepArguments("push_to_azure_blob_storage", values), context, CancellationToken.None);
        return (outputs, printed);
    }

    [Fact]
    public async Task Push_ToAMissingContainer_WithCreateContainer_CreatesItOnTheFirstPush()
    {
        var container = "weir-new-" + Guid.NewGuid().ToString("N")[..10];

        var (outputs, printed) = await PushToAsync(container, create: true);

        printed.ShouldContain($"Created the container '{container}' at {new Uri(azurite.AccountUrl).GetLeftPart(UriPartial.Authority)} (create_container: true).");
        outputs["manifest_hash"].ShouldNotBeNull();
        var blobs = new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, container).GetBlobs().Select(b => b.Name).ToList();
        blobs.ShouldContain("proj/a.cs");
        (await PushToAsync(container, create: true)).Printed.ShouldNotContain(l => l.StartsWith("Created the container", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_ToAMissingContainer_WithoutCreateContainer_SaysHowToCreateIt_AndADryRunCreatesNothing()
    {
        var container = "weir-absent-" + Guid.NewGuid().ToString("N")[..10];

        var error = await Should.ThrowAsync<ObjectStoreException>(() => PushToAsync(container, create: null));

        error.Message.ShouldContain($"the container '{container}' does not exist at {new Uri(azurite.AccountUrl).GetLeftPart(UriPartial.Authority)}");
        error.Message.ShouldContain("add create_container: true to the push_to_azure_blob_storage step");
        var dry = await Should.ThrowAsync<ObjectStoreException>(() => PushToAsync(container, create: true, dryRun: true));
        dry.Message.ShouldContain("the push would create it (create_container: true), but a dry run changes nothing");
        (await new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, container).ExistsAsync()).Value.ShouldBeFalse();
    }
}
