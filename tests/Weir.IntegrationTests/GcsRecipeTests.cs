using System.Security.Cryptography;
using System.Text.Json;
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
public sealed class GcsRecipeTests(ServerAndWorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-itest-gcs-").FullName;
    private string _endpoint = string.Empty;

    private string Project => Path.Combine(_root, "project");

    public async Task InitializeAsync() => _endpoint = await TestInfra.StartAsync("gcs-emulator.sh", Path.Combine(_root, "gcs"));

    public async Task DisposeAsync()
    {
        await TestInfra.StopAsync("gcs-emulator.sh", Path.Combine(_root, "gcs"));
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task InitGcsRecipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        // The emulator creates a bucket on first use.
        var bucket = "weir-" + Guid.NewGuid().ToString("N")[..12];
        using var rsa = RSA.Create(2048);
        var privateKey = rsa.ExportPkcs8PrivateKeyPem();
        await fixture.Client.PutBlockAsync("gcp-credentials", "gcs-emulator", new JsonObject
        {
            ["service_account_info"] = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["type"] = "service_account",
                ["project_id"] = "demo-weir",
                ["private_key_id"] = "test-key-1",
                ["private_key"] = privateKey,
                ["client_email"] = "weir-test@demo-weir.iam.gserviceaccount.com",
                ["client_id"] = "1",
                ["token_uri"] = "https://oauth2.googleapis.com/token",
            }),
            ["project"] = "demo-weir",
            ["endpoint_url"] = _endpoint,
        }, CancellationToken.None);
        var result = await RecipeRun.InitDeployAndRunAsync(fixture, Project, "gcs", "from the gcs bucket", $"bucket={bucket}", "credentials_block=gcs-emulator");
        result.Deploy.Stderr.ShouldContain($"to gs://{bucket}/");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-gcs", CancellationToken.None)).ShouldNotBeNull();
        var pull = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["pull_from_gcs"].ShouldNotBeNull();
        pull["credentials"]!.GetValue<string>().ShouldBe("{{ weir.blocks.gcp-credentials.gcs-emulator }}");
        var keyBody = privateKey.Split('\n')[1];
        result.AllOutput(fixture).ShouldNotContain(keyBody);
    }
}
