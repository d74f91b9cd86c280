using System.Text.Json.Nodes;
using Azure.Storage.Blobs;

namespace Weir.IntegrationTests;

/// <summary>
/// The <c>azure</c> recipe of <c>weir init</c> against a real Azure Blob Storage emulator (azurite on
/// 127.0.0.1), reached through the connection string of an <c>azure-blob-storage-credentials</c> block:
/// <c>weir deploy</c> accepts the file it writes, pushes the project, and the worker pulls and runs it.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class AzureRecipeTests(ServerAndWorkerFixture fixture)
{
    [Fact]
    public async Task InitAzureRecipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        await using var azurite = await Azurite.StartAsync();
        using var project = new TempFolder("weir-itest-azure-");
        var connectionString = Azurite.ConnectionString(azurite.Url);
        var container = RecipeRun.NewContainerName();
        await new BlobContainerClient(connectionString, container).CreateAsync();

        await fixture.Client.PutBlockAsync("azure-blob-storage-credentials", "azurite", new JsonObject
        {
            ["connection_string"] = connectionString,
        }, CancellationToken.None);
        var result = await RecipeRun.InitDeployAndRunAsync(fixture, project.Path, "azure", "from the azure container", $"container={container}", "credentials_block=azurite");
        result.Deploy.Stderr.ShouldContain($"to {azurite.Url}/{container}/");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-azure", CancellationToken.None)).ShouldNotBeNull();
        var pull = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["pull_from_azure_blob_storage"].ShouldNotBeNull();
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.azure-blob-storage-credentials.azurite }}");
        result.AllOutput(fixture).ShouldNotContain(Azurite.AccountKey);
    }
}
