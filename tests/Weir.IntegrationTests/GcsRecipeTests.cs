using System.Text.Json.Nodes;

namespace Weir.IntegrationTests;

/// <summary>
/// The <c>gcs</c> recipe of <c>weir init</c> against a real GCS JSON-API emulator (firebase-tools'
/// storage emulator on 127.0.0.1), reached through the <c>endpoint_url</c> of a <c>gcp-credentials</c>
/// block that also holds a service-account key made for the test (the worker signs its requests with
/// it; the emulator does not check them): <c>weir deploy</c> accepts the file it writes, pushes the
/// project, and the worker pulls and runs it.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class GcsRecipeTests(ServerAndWorkerFixture fixture)
{
    [Fact]
    public async Task InitGcsRecipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        await using var gcs = await GcsEmulator.StartAsync();
        using var project = new TempFolder("weir-itest-gcs-");
        // The emulator creates a bucket on first use.
        var bucket = RecipeRun.NewContainerName();
        var privateKey = GcsEmulator.NewPrivateKeyPem();
        await fixture.Client.PutBlockAsync("gcp-credentials", "gcs-emulator", new JsonObject
        {
            ["service_account_info"] = GcsEmulator.ServiceAccountJson(privateKey),
            ["project"] = GcsEmulator.Project,
            ["endpoint_url"] = gcs.Url,
        }, CancellationToken.None);
        var result = await RecipeRun.InitDeployAndRunAsync(fixture, project.Path, "gcs", "from the gcs bucket", $"bucket={bucket}", "credentials_block=gcs-emulator");
        result.Deploy.Stderr.ShouldContain($"to gs://{bucket}/");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-gcs", CancellationToken.None)).ShouldNotBeNull();
        var pull = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["pull_from_gcs"].ShouldNotBeNull();
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.gcp-credentials.gcs-emulator }}");
        var keyBody = privateKey.Split('\n')[1];
        result.AllOutput(fixture).ShouldNotContain(keyBody);
    }
}
