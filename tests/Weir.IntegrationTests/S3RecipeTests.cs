using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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

    public async Task InitializeAsync() =>
        _endpoint = (await ShellAsync("bash", Infra("s3rver.sh"), "start", Path.Combine(_root, "s3rver"), FreePort().ToString(CultureInfo.InvariantCulture))).Trim().Split('\n')[^1];

    public async Task DisposeAsync()
    {
        await ShellAsync("bash", Infra("s3rver.sh"), "stop", Path.Combine(_root, "s3rver"));
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
        Directory.CreateDirectory(Path.Combine(Project, "flows"));
        await File.WriteAllTextAsync(Path.Combine(Project, "flows", "my_flow.cs"), """
            using Weir;
            public static class MyFlow
            {
                [Task]
                public static string Where() => "from the bucket";

                [Flow("example")]
                public static void Example(int limit = 5) => Console.WriteLine(Where());
            }
            """);

        var init = await Cli.RunAsync(fixture, Project, "init", "--recipe", "s3", "--field", $"bucket={bucket}", "--field", "credentials_block=s3rver");
        init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);
        var deploy = await Cli.RunAsync(fixture, Project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "init-s3", "--pool", ServerAndWorkerFixture.Pool);
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        deploy.Stderr.ShouldContain($"to s3://{bucket}/");

        var run = await Cli.RunAsync(fixture, Project, "deployment", "run", "example/init-s3", "--watch");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain("from the bucket");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "init-s3", CancellationToken.None)).ShouldNotBeNull();
        deployment.PullSteps.ShouldHaveSingleItem()!.AsObject().ContainsKey("pull_from_s3").ShouldBeTrue();
    }

    private static async Task<string> ShellAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Infra(string script)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "infra", script);
            }
        }

        throw new InvalidOperationException("No Weir.slnx above " + AppContext.BaseDirectory);
    }
}
