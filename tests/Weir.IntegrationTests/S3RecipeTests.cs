using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;

namespace Weir.IntegrationTests;

/// <summary>
/// The <c>s3</c> recipe of <c>weir init</c> against a real S3-compatible server (s3rver on 127.0.0.1):
/// <c>weir deploy</c> accepts the file it writes, pushes the project, and the worker pulls and runs it.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class S3RecipeTests(ServerAndWorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-itest-s3-").FullName;
    private string _endpoint = string.Empty;

    private string Project => Path.Combine(_root, "project");

    public async Task InitializeAsync() => _endpoint = await TestInfra.StartAsync("s3rver.sh", Path.Combine(_root, "s3rver"));

    public async Task DisposeAsync()
    {
        await TestInfra.StopAsync("s3rver.sh", Path.Combine(_root, "s3rver"));
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task InitS3Recipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        var bucket = "weir-" + Guid.NewGuid().ToString("N")[..12];
        using (var s3 = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config { ServiceURL = _endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await s3.PutBucketAsync(bucket);
        }

        await fixture.Client.PutBlockAsync("aws-credentials", "s3rver", new JsonObject
        {
            ["aws_access_key_id"] = "S3RVER",
            ["aws_secret_access_key"] = "S3RVER",
            ["endpoint_url"] = _endpoint,
        }, CancellationToken.None);
        var result = await RecipeRun.InitDeployAndRunAsync(fixture, Project, "s3", "from the bucket", $"bucket={bucket}", "credentials_block=s3rver");
        result.Deploy.Stderr.ShouldContain($"to s3://{bucket}/");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-s3", CancellationToken.None)).ShouldNotBeNull();
        deployment.PullSteps.ShouldHaveSingleItem()!.AsObject().ContainsKey("pull_from_s3").ShouldBeTrue();
    }
}
