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
        Directory.CreateDirectory(Path.Combine(Project, "flows"));
        await File.WriteAllTextAsync(Path.Combine(Project, "flows", "my_flow.cs"), """
            using Weir;
            public static class MyFlow
            {
                [Task]
                public static string Where() => "from the azure container";

                [Flow("example")]
                public static void Example(int limit = 5) => Console.WriteLine(Where());
            }
            """);

        var init = await Cli.RunAsync(fixture, Project, "init", "--recipe", "azure", "--field", $"container={container}", "--field", "credentials_block=azurite");
        init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);
        var deploy = await Cli.RunAsync(fixture, Project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "init-azure", "--pool", ServerAndWorkerFixture.Pool);
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        deploy.Stderr.ShouldContain($"to {_accountUrl}/{container}/");

        var run = await Cli.RunAsync(fixture, Project, "deployment", "run", "example/init-azure", "--watch");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain("from the azure container");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-azure", CancellationToken.None)).ShouldNotBeNull();
        var pull = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["pull_from_azure_blob_storage"].ShouldNotBeNull();
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.azure-blob-storage-credentials.azurite }}");
        (deploy.Stdout + deploy.Stderr + run.Stdout + run.Stderr + fixture.WorkerLog).ShouldNotContain(AccountKey);
    }
}
