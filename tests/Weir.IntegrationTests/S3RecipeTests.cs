using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;

namespace Weir.IntegrationTests;

/// <summary>
/// The <c>s3</c> recipe of <c>weir init</c> against a real S3-compatible server (s3rver on 127.0.0.1):
/// <c>weir deploy</c> accepts the file it writes, pushes the project, and the worker pulls and runs it.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class S3RecipeTests(ServerAndWorkerFixture fixture)
{
    [Fact]
    public async Task InitS3Recipe_DeployAcceptsIt_PushesTheProject_AndTheWorkerRunsIt()
    {
        await using var s3rver = await S3rver.StartAsync();
        using var project = new TempFolder("weir-itest-s3-");
        var bucket = RecipeRun.NewContainerName();
        using (var s3 = new AmazonS3Client(new BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey), new AmazonS3Config { ServiceURL = s3rver.Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await s3.PutBucketAsync(bucket);
        }

        await fixture.Client.PutBlockAsync("aws-credentials", "s3rver", new JsonObject
        {
            ["aws_access_key_id"] = S3rver.AccessKey,
            ["aws_secret_access_key"] = S3rver.SecretKey,
            ["endpoint_url"] = s3rver.Url,
        }, CancellationToken.None);
        var result = await RecipeRun.InitDeployAndRunAsync(fixture, project.Path, "s3", "from the bucket", $"bucket={bucket}", "credentials_block=s3rver");
        result.Deploy.Stderr.ShouldContain($"to s3://{bucket}/");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-s3", CancellationToken.None)).ShouldNotBeNull();
        deployment.PullSteps.ShouldHaveSingleItem()!.AsObject().ContainsKey("pull_from_s3").ShouldBeTrue();
    }
}
