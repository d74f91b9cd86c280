using System.Text.Json.Nodes;
using Azure.Storage.Blobs;

namespace Weir.IntegrationTests;

/// <summary>
/// The <c>azure</c> recipe of <c>weir init</c> against a real Azure Blob Storage emulator (azurite on
/// 127.0.0.1), reached through the connection string of an <c>azure-blob-storage-credentials</c> block:
/// <c>weir deploy</c> accepts the file it writes, pushes the project, and the worker pulls and runs it.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class AzureRecipeTests(ServerAndWorkerFixture fixture) : IAsyncLifetime
{
    /// <summary>azurite's published development account and key.</summary>
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _root = Directory.CreateTempSubdirectory("weir-itest-azure-").FullName;
    private string _accountUrl = string.Empty;

    private string Project => Path.Combine(_root, "project");

    private string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={_accountUrl};";

    public async Task InitializeAsync() => _accountUrl = await TestInfra.StartAsync("azurite.sh", Path.Combine(_root, "azurite"));

    public async Task DisposeAsync()
    {
        await TestInfra.StopAsync("azurite.sh", Path.Combine(_root, "azurite"));
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task InitAzureRecipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        var container = "weir-" + Guid.NewGuid().ToString("N")[..12];
        await new BlobContainerClient(ConnectionString, container).CreateAsync();

        await fixture.Client.PutBlockAsync("azure-blob-storage-credentials", "azurite", new JsonObject
        {
            ["connection_string"] = ConnectionString,
        }, CancellationToken.None);
        var result = await RecipeRun.InitDeployAndRunAsync(fixture, Project, "azure", "from the azure container", $"container={container}", "credentials_block=azurite");
        result.Deploy.Stderr.ShouldContain($"to {_accountUrl}/{container}/");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-azure", CancellationToken.None)).ShouldNotBeNull();
        var pull = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["pull_from_azure_blob_storage"].ShouldNotBeNull();
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.azure-blob-storage-credentials.azurite }}");
        result.AllOutput(fixture).ShouldNotContain(AccountKey);
    }
}
