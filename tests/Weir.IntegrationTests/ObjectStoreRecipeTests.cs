using Amazon.Runtime;
using Amazon.S3;
using Azure.Storage.Blobs;

namespace Weir.IntegrationTests;

/// <summary>
/// The object-store recipes of <c>weir init</c> (<c>s3</c>, <c>azure</c>, <c>gcs</c>) against real emulators on
/// 127.0.0.1 (s3rver; azurite, reached through a connection string; firebase-tools' GCS emulator, reached through an
/// <c>endpoint_url</c> with a service-account key made for the test, which the worker signs with and the emulator does
/// not check), each through a credentials block: <c>weir deploy</c> accepts the file init writes, pushes the project,
/// and the worker pulls and runs it.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class ObjectStoreRecipeTests(ServerAndWorkerFixture fixture)
{
    [Fact]
    public async Task InitS3Recipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        await using var s3rver = await Emulators.StartS3rverAsync();
        var bucket = NewContainerName();
        using (var s3 = new AmazonS3Client(new BasicAWSCredentials(Emulators.S3rverKey, Emulators.S3rverKey), new AmazonS3Config { ServiceURL = s3rver.Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await s3.PutBucketAsync(bucket);
        }

        await fixture.Client.PutBlockAsync("aws-credentials", "s3rver", new JsonObject
        {
            ["aws_access_key_id"] = Emulators.S3rverKey,
            ["aws_secret_access_key"] = Emulators.S3rverKey,
            ["endpoint_url"] = s3rver.Url,
        }, CancellationToken.None);
        var (deploy, _) = await InitDeployAndRunAsync("s3", "from the bucket", $"bucket={bucket}", "s3rver");
        deploy.Stderr.ShouldContain($"to s3://{bucket}/");
        await PullStepAsync("s3", "pull_from_s3");
    }

    [Fact]
    public async Task InitAzureRecipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        await using var azurite = await Emulators.StartAzuriteAsync();
        var connectionString = Emulators.AzuriteConnectionString(azurite.Url);
        var container = NewContainerName();
        await new BlobContainerClient(connectionString, container).CreateAsync();

        await fixture.Client.PutBlockAsync("azure-blob-storage-credentials", "azurite", new JsonObject { ["connection_string"] = connectionString }, CancellationToken.None);
        var (deploy, run) = await InitDeployAndRunAsync("azure", "from the azure container", $"container={container}", "azurite");
        deploy.Stderr.ShouldContain($"to {azurite.Url}/{container}/");
        var pull = await PullStepAsync("azure", "pull_from_azure_blob_storage");
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.azure-blob-storage-credentials.azurite }}");
        AllOutput(deploy, run).ShouldNotContain(Emulators.AzuriteKey);
    }

    [Fact]
    public async Task InitGcsRecipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        await using var gcs = await Emulators.StartGcsAsync();
        // The emulator creates a bucket on first use.
        var bucket = NewContainerName();
        var privateKey = Emulators.NewPrivateKeyPem();
        await fixture.Client.PutBlockAsync("gcp-credentials", "gcs-emulator", new JsonObject
        {
            ["service_account_info"] = Emulators.GcsServiceAccountJson(privateKey),
            ["project"] = Emulators.GcsProject,
            ["endpoint_url"] = gcs.Url,
        }, CancellationToken.None);
        var (deploy, run) = await InitDeployAndRunAsync("gcs", "from the gcs bucket", $"bucket={bucket}", "gcs-emulator");
        deploy.Stderr.ShouldContain($"to gs://{bucket}/");
        var pull = await PullStepAsync("gcs", "pull_from_gcs");
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.gcp-credentials.gcs-emulator }}");
        var keyBody = privateKey.Split('\n')[1];
        AllOutput(deploy, run).ShouldNotContain(keyBody);
    }

    /// <summary>A bucket or container name no other test uses.</summary>
    private static string NewContainerName() => "weir-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// In a new project with a one-task flow that prints <paramref name="marker"/>: <c>weir init --recipe RECIPE</c> with
    /// the container field and the credentials block, <c>weir deploy</c> as <c>example/init-RECIPE</c>, and
    /// <c>weir deployment run --watch</c>, each checked to succeed; the deploy and the run.
    /// </summary>
    private async Task<(ProcessResult Deploy, ProcessResult Run)> InitDeployAndRunAsync(string recipe, string marker, string containerField, string block)
    {
        using var folder = new TempFolder($"weir-itest-{recipe}-");
        var project = folder.Path;
        await ProjectFiles.WriteFlowAsync(project, "my_flow.cs", $$"""
            using Weir;
            public static class MyFlow
            {
                [Task]
                public static string Where() => "{{marker}}";

                [Flow("example")]
                public static void Example(int limit = 5) => Console.WriteLine(Where());
            }
            """);

        var init = await fixture.Cli.RunAsync(project, "init", "--recipe", recipe, "--field", containerField, "--field", "credentials_block=" + block);
        init.ExitCode.ShouldBe(0, init.Output);
        var deploy = await fixture.Cli.RunAsync(project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "init-" + recipe, "--pool", ServerAndWorkerFixture.Pool);
        deploy.ExitCode.ShouldBe(0, deploy.Output);

        var run = await fixture.Cli.RunAsync(project, "deployment", "run", "example/init-" + recipe, "--watch");

        run.ExitCode.ShouldBe(0, run.Output + fixture.WorkerLog);
        run.Stdout.ShouldContain(marker);
        return (deploy, run);
    }

    /// <summary>Everything the CLI and the worker printed, for secret checks.</summary>
    private string AllOutput(ProcessResult deploy, ProcessResult run) => deploy.Output + run.Output + fixture.WorkerLog;

    /// <summary>The one pull step of <c>example/init-RECIPE</c>, checked to be a <paramref name="step"/>; its arguments.</summary>
    private async Task<JsonNode> PullStepAsync(string recipe, string step)
    {
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-" + recipe, CancellationToken.None)).ShouldNotBeNull();
        return deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()[step].ShouldNotBeNull();
    }
}
