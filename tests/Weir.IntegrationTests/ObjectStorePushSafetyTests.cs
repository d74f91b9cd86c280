using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Weir.IntegrationTests;

/// <summary>
/// A push never deletes what Weir did not upload (issue 23), through the real CLI, server and worker on
/// s3rver: a <c>weir.yaml</c> pushing to a bucket's root next to other objects, <c>--dry-run</c>, and two
/// code-first flows under one prefix, each with its own manifest, registered in either order.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class ObjectStorePushSafetyTests(ServerAndWorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-itest-s3safety-").FullName;
    private InfraServer _s3rver = null!;

    public async Task InitializeAsync()
    {
        _s3rver = await Emulators.StartS3rverAsync();
        await fixture.Client.PutBlockAsync("aws-credentials", "s3rver-safety", new JsonObject
        {
            ["aws_access_key_id"] = Emulators.S3rverKey,
            ["aws_secret_access_key"] = Emulators.S3rverKey,
            ["endpoint_url"] = _s3rver.Url,
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _s3rver.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task DeployToABucketsRoot_KeepsEveryObjectItDidNotUpload_AndDryRunChangesNothing()
    {
        var bucket = await NewBucketAsync("precious/data.csv", "backups/db.dump", "readme.txt");
        var project = Path.Combine(_root, "root-project");
        await ProjectFiles.WriteFlowAsync(project, "f.cs", Flow("F", "rootflow", "from the bucket root"));
        await ProjectFiles.WriteWeirYamlAsync(project, $$$"""
            name: safety
            push:
            - push_to_s3:
                id: push_code
                bucket: {{{bucket}}}
                folder: ''
                credentials: '{{ weir.blocks.aws-credentials.s3rver-safety }}'
            pull:
            - pull_from_s3:
                id: pull_code
                bucket: '{{ push_code.bucket }}'
                folder: '{{ push_code.folder }}'
                credentials: '{{ weir.blocks.aws-credentials.s3rver-safety }}'
            deployments:
            - name: root
              entrypoint: flows/f.cs:rootflow
              work_pool: { name: {{{ServerAndWorkerFixture.Pool}}} }
            """);

        var dry = await fixture.Cli.RunAsync(project, "deploy", "root", "--dry-run");
        dry.ExitCode.ShouldBe(0, dry.Stdout + dry.Stderr);
        dry.Stderr.ShouldContain("Would upload 2 of 2 files (0 changed, 2 new)");
        dry.Stderr.ShouldContain("keep 3 other objects");
        dry.Stdout.ShouldContain("Dry run: would deploy rootflow/root");
        (await KeysAsync(bucket)).ShouldBe(["backups/db.dump", "precious/data.csv", "readme.txt"]);
        (await fixture.Client.GetDeploymentAsync("rootflow", "root", CancellationToken.None)).ShouldBeNull();

        var deploy = await fixture.Cli.RunAsync(project, "deploy", "root");
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        deploy.Stderr.ShouldContain("nothing there is removed");
        var run = await fixture.Cli.RunAsync(project, "deployment", "run", "rootflow/root", "--watch");
        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain("from the bucket root");

        File.Delete(Path.Combine(project, ".weirignore"));
        var again = await fixture.Cli.RunAsync(project, "deploy", "root");
        again.ExitCode.ShouldBe(0, again.Stdout + again.Stderr);
        (await KeysAsync(bucket)).ShouldBe([".weir-manifest.json", "backups/db.dump", "flows/f.cs", "precious/data.csv", "readme.txt", "weir.yaml"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoCodeFirstFlowsUnderOnePrefix_BothRun_InEitherOrder(bool bFirst)
    {
        var bucket = await NewBucketAsync("flows/not-weirs.txt");
        var project = Path.Combine(_root, "code-first-" + bFirst);
        Directory.CreateDirectory(Path.Combine(project, "flows"));
        foreach (var name in new[] { "a", "b" })
        {
            var storage = $"public static readonly FlowStorage Storage = new S3Storage(\"{bucket}\", \"flows/{name}.cs\") {{ CredentialsBlock = \"s3rver-safety\" }};";
            await File.WriteAllTextAsync(Path.Combine(project, "flows", name + ".cs"), Flow(name.ToUpperInvariant(), "flow-" + name, "ran " + name, storage));
        }

        foreach (var name in bFirst ? new[] { "b", "a" } : ["a", "b"])
        {
            var register = await fixture.Cli.RunAsync(project, "register", "-p", $"flows/{name}.cs", "--project", "two-" + bFirst, "--pool", ServerAndWorkerFixture.Pool);
            register.ExitCode.ShouldBe(0, register.Stdout + register.Stderr);
        }

        foreach (var name in new[] { "a", "b" })
        {
            var run = await fixture.Cli.RunAsync(project, "deployment", "run", $"flow-{name}/two-{bFirst}", "--watch");
            run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
            run.Stdout.ShouldContain("ran " + name);
        }

        (await KeysAsync(bucket)).ShouldBe(["flows/.weir-manifest.a.cs.json", "flows/.weir-manifest.b.cs.json", "flows/a.cs", "flows/b.cs", "flows/not-weirs.txt"]);
    }

    private static string Flow(string type, string flow, string printed, string storage = "") => $$"""
        using Weir;
        public static class {{type}}
        {
            {{storage}}

            [Task]
            public static string Say() => "{{printed}}";

            [Flow("{{flow}}")]
            public static void Run() => Console.WriteLine(Say());
        }
        """;

    private AmazonS3Client S3() => new(new BasicAWSCredentials(Emulators.S3rverKey, Emulators.S3rverKey), new AmazonS3Config { ServiceURL = _s3rver.Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private async Task<string> NewBucketAsync(params string[] foreign)
    {
        var bucket = "weir-" + Guid.NewGuid().ToString("N")[..12];
        using var s3 = S3();
        await s3.PutBucketAsync(bucket);
        foreach (var key in foreign)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "not Weir's", UseChunkEncoding = false });
        }

        return bucket;
    }

    private async Task<List<string>> KeysAsync(string bucket)
    {
        using var s3 = S3();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return [.. (listed.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal)];
    }
}
