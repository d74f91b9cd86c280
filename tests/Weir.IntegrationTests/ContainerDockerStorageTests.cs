using Xunit.Abstractions;

namespace Weir.IntegrationTests;

/// <summary>
/// Code-first <c>DockerStorage</c> (seed 001, "Script based Docker storage") end to end on the
/// collection's Docker daemon and registry: <c>weir register</c> builds and pushes an image from
/// <c>Files</c>, or, with <c>Path</c> only, registers a flow an image already holds; a container
/// worker runs it.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerDockerStorageTests(ContainerFixture fixture, ITestOutputHelper output)
{
    /// <summary>The CLI as the worker's machine has it: the private daemon and the worker's docker login.</summary>
    private WeirCli Cli => fixture.Cli.With(fixture.DockerEnvironment);

    private static string[] Register(string file, string project) => ["register", "-p", file, "--project", project, "--pool", ContainerFixture.Pool];

    private async Task<(int ExitCode, string Output)> RegisterAsync(string folder, string file, string project)
    {
        var result = await Cli.RunAsync(folder, Register(file, project));
        output.WriteLine(result.Output);
        return (result.ExitCode, result.Output);
    }

    /// <summary>Registers with standard output and error in one pipe, in the order they were written, as a terminal shows them.</summary>
    private async Task<(int ExitCode, string Output)> RegisterMergedAsync(string folder, string file, string project)
    {
        var result = await Shell.ExecAsync(Cli.MergedStartInfo(folder, Register(file, project)), timeout: Cli.Timeout);
        output.WriteLine(result.Stdout);
        return (result.ExitCode, result.Stdout);
    }

    /// <summary>Registers a flow file (in its own folder) whose <c>DockerStorage</c> names <paramref name="path"/> in the image <paramref name="imageName"/>:v1, with no files to build from.</summary>
    private async Task<(int ExitCode, string Output)> RegisterPathOnlyAsync(string name, string marker, string task, string path, string imageName, string project)
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Root, name)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "hello.cs"), Hello(marker, task)
            .Replace("public static class Hello\n{", $$"""
                public static class Hello
                {
                    public static readonly FlowStorage Storage = new DockerStorage("{{path}}") { ImageName = "{{imageName}}", Tag = "v1" };
                """, StringComparison.Ordinal));
        return await RegisterAsync(folder, "hello.cs", project);
    }

    private async Task<(FlowRunDto Run, string Logs)> RunToEndAsync(string flow, string deployment)
    {
        var run = await fixture.Client.CreateRunAsync(flow, deployment, null, CancellationToken.None);
        var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelled);
        var logs = string.Join('\n', (await fixture.Client.LogsAsync(run.Id, 0, 1000, CancellationToken.None)).Select(l => l.Message));
        return (done, logs);
    }

    [Fact]
    public async Task Register_WithFiles_BuildsOnTheBaseImage_PushesWithTheCredentialsBlock_AndTheRunReadsADataFileByItsRelativePath()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Root, "register-files")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "flows"));
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        await File.WriteAllTextAsync(Path.Combine(folder, "data", "input.txt"), "three lines\nof\ninput\n");
        var image = $"{fixture.Registry}/registered";
        await ProjectFiles.WriteFlowAsync(folder, "etl.cs", $$"""
            using Weir;
            public static class Etl
            {
                public static readonly FlowStorage Storage = new DockerStorage("flows/etl.cs", new Dictionary<string, string>
                {
                    ["flows/etl.cs"] = "flows/etl.cs",
                    ["data/input.txt"] = "data/input.txt",
                })
                {
                    ImageName = "{{image}}", Tag = "r1", BaseImage = "{{ContainerFixture.BaseImage}}", RegistryCredentials = "test-registry",
                };

                [Task]
                public static int Count() => File.ReadAllLines("data/input.txt").Length;

                [Flow("docker-etl")]
                public static void Run() => Console.WriteLine($"etl counted {Count()} in {Environment.CurrentDirectory}, flow file there: {File.Exists("flows/etl.cs")}");
            }
            """);

        var (code, text) = await RegisterMergedAsync(folder, "flows/etl.cs", "docker-reg");

        code.ShouldBe(0, text);
        // Progress lines are whole lines: the build's output never runs into "Registering ...".
        text.ReplaceLineEndings("\n").Split('\n').ShouldContain("  Registering 'docker-etl'... Done");
        text.ShouldContain("Building `Docker` storage...");
        text.ShouldContain($"Building {image}:r1 from {ContainerFixture.BaseImage}");
        text.ShouldContain($"Logging in to {fixture.Registry} as weir-pusher.");
        text.ShouldContain($"Pushing {image}:r1.");
        text.ShouldContain("1 registered");
        var deployment = (await fixture.Client.GetDeploymentAsync("docker-etl", "docker-reg", CancellationToken.None))!;
        deployment.JobVariables!["image"]!.GetValue<string>().ShouldBe($"{image}:r1");
        deployment.Entrypoint.ShouldBe("flows/etl.cs:docker-etl");
        deployment.PullSteps.ToJsonString().ShouldContain("\"/opt/weir/project\"");

        // The worker must take the image from the registry, as on another machine.
        (await fixture.DockerAsync(["image", "rm", $"{image}:r1"])).ExitCode.ShouldBe(0);
        var (run, logs) = await RunToEndAsync("docker-etl", "docker-reg");

        run.State.ShouldBe(StateType.Completed, $"{run.StateMessage}\n{logs}\n{fixture.WorkerLog}");
        logs.ShouldContain("etl counted 3 in /opt/weir/project, flow file there: True");
        fixture.WorkerLog.ShouldContain($"pulling image {image}:r1");
    }

    [Fact]
    public async Task Register_PathOnly_ReadsTheFlowFromAPrebuiltImage_AndTheRunExecutesTheImagesCopy()
    {
        // A prebuilt image: the runner image of the collection plus a flow at /opt/flows/hello.cs, pushed and then removed here.
        var image = $"{fixture.Registry}/prebuilt:v1";
        var context = Directory.CreateDirectory(Path.Combine(fixture.Root, "prebuilt-context")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {fixture.Image}\nCOPY hello.cs /opt/flows/hello.cs\n");
        await File.WriteAllTextAsync(Path.Combine(context, "hello.cs"), Hello("the copy baked into the image", "FromImage"));
        (await fixture.DockerAsync(["pull", fixture.Image])).ExitCode.ShouldBe(0);
        var built = await fixture.DockerAsync(["build", "--tag", image, context]);
        built.ExitCode.ShouldBe(0, built.Output);
        var pushed = await fixture.DockerAsync(["push", image]);
        pushed.ExitCode.ShouldBe(0, pushed.Output);
        (await fixture.DockerAsync(["image", "rm", image])).ExitCode.ShouldBe(0);

        // The local file declares the storage; its own code differs from the image's.
        var (code, text) = await RegisterPathOnlyAsync("register-prebuilt", "the local copy", "LocalOnly", "/opt/flows/hello.cs", $"{fixture.Registry}/prebuilt", "prebuilt");

        code.ShouldBe(0, text);
        text.ShouldContain($"Reading /opt/flows/hello.cs from the image {image}.");
        text.ShouldNotContain("Building " + image);
        var deployment = (await fixture.Client.GetDeploymentAsync("prebuilt-hello", "prebuilt", CancellationToken.None))!;
        deployment.Structure.Tasks.ShouldContain("FromImage");
        deployment.Structure.Tasks.ShouldNotContain("LocalOnly");
        deployment.JobVariables!["image"]!.GetValue<string>().ShouldBe(image);
        (await fixture.DockerAsync(["ps", "--all", "--quiet", "--filter", "label=weir.purpose=read-file"])).Output.Trim().ShouldBeEmpty();

        var (run, logs) = await RunToEndAsync("prebuilt-hello", "prebuilt");

        run.State.ShouldBe(StateType.Completed, $"{run.StateMessage}\n{logs}\n{fixture.WorkerLog}");
        logs.ShouldContain("hello from the copy baked into the image, in /opt/flows");
        logs.ShouldNotContain("the local copy");
    }

    [Fact]
    public async Task Register_PathOnly_NamingAFileTheImageLacks_FailsNamingImageAndPath()
    {
        var (code, text) = await RegisterPathOnlyAsync("register-missing", "nowhere", "Nothing", "/opt/flows/missing.cs", $"{fixture.Registry}/flows", "missing");

        code.ShouldNotBe(0, text);
        text.ShouldContain($"The image {fixture.Image} holds no file /opt/flows/missing.cs");
        text.ShouldContain("0 registered, 1 errored");
    }

    private static string Hello(string marker, string task) => $$"""
        using Weir;
        public static class Hello
        {
            [Task]
            public static string {{task}}() => "hello from {{marker}}";

            [Flow("prebuilt-hello")]
            public static void Run() => Console.WriteLine($"{{{task}}()}, in {Environment.CurrentDirectory}");
        }
        """.Replace("\r\n", "\n", StringComparison.Ordinal);
}
