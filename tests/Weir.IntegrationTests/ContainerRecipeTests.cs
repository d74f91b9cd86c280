using Xunit.Abstractions;

namespace Weir.IntegrationTests;

/// <summary>
/// What a new user of the docker recipe does, on the collection's real Docker daemon and registry: <c>weir init
/// --recipe docker</c>, then <c>weir deploy</c> with options or through the dialogue, and a container run that
/// completes with no hand edit of weir.yaml; a base image that is missing offline, and a failing build, each give
/// one clear error and leave weir.yaml as it was.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ContainerRecipeTests(ContainerFixture fixture, ITestOutputHelper output)
{
    private const string Flow = """
        using Weir;
        public static class Hello
        {
            [Task]
            public static string Greet() => $"hello from the recipe image, in {Environment.CurrentDirectory}, data: {File.ReadAllText("data/note.txt").Trim()}";

            [Flow("recipe-hello")]
            public static void Run() => Console.WriteLine(Greet());
        }
        """;

    private async Task<string> ProjectAsync(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Root, name)).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "flows"));
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        await ProjectFiles.WriteFlowAsync(folder, "hello.cs", Flow);
        await File.WriteAllTextAsync(Path.Combine(folder, "data", "note.txt"), "baked in\n");
        return folder;
    }

    private async Task<ProcessResult> WeirAsync(string folder, params string[] args)
    {
        var result = await fixture.Cli.RunAsync(folder, args);
        output.WriteLine($"weir {string.Join(' ', args)} → {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        return result;
    }

    private async Task InitAsync(string folder, string image, string tag, string baseImage)
    {
        var init = await WeirAsync(folder, "init", "--recipe", "docker", "--field", $"image_name={image}", "--field", $"tag={tag}",
            "--field", $"base_image={baseImage}", "--field", "registry_credentials=test-registry");
        init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);
        init.Stdout.ShouldNotContain("Warning:"); // the registry block exists on the server
    }

    private async Task<(FlowRunDto Run, string Logs)> RunToEndAsync(string deployment)
    {
        var run = await fixture.Client.CreateRunAsync("recipe-hello", deployment, null, CancellationToken.None);
        var done = await fixture.WaitForAsync(run.Id, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelled);
        var logs = string.Join('\n', (await fixture.Client.LogsAsync(run.Id, 0, 1000, CancellationToken.None)).Select(l => l.Message));
        return (done, logs);
    }

    [Fact]
    public async Task DockerRecipe_DeployWithOptionsToAContainerPool_SetsTheBuiltImage_TheRunCompletes_AndANewTagSaysTheImageChanged()
    {
        var folder = await ProjectAsync("recipe-flags");
        var image = $"{fixture.Registry}/recipe-flags";
        await InitAsync(folder, image, "t1", ContainerFixture.BaseImage);

        var deploy = await WeirAsync(folder, "deploy", "--entrypoint", "flows/hello.cs:recipe-hello", "--name", "flags", "--pool", ContainerFixture.Pool);

        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        deploy.Stdout.ShouldContain("with job_variables: { image: '{{ build_image.image }}' }: the container pool 'containers' runs the image build step 1 'build_docker_image' (id 'build_image') builds");
        (await File.ReadAllTextAsync(Path.Combine(folder, "weir.yaml"))).ShouldContain("work_pool: { name: 'containers', job_variables: { image: '{{ build_image.image }}' } }");
        var deployment = (await fixture.Client.GetDeploymentAsync("recipe-hello", "flags", CancellationToken.None)).ShouldNotBeNull();
        deployment.JobVariables!["image"]!.GetValue<string>().ShouldBe($"{image}:t1");
        (await fixture.DockerAsync(["image", "rm", $"{image}:t1"])).ExitCode.ShouldBe(0);

        var (run, logs) = await RunToEndAsync("flags");

        run.State.ShouldBe(StateType.Completed, $"{run.StateMessage}\n{logs}\n{fixture.WorkerLog}");
        logs.ShouldContain("hello from the recipe image, in /opt/weir/project, data: baked in");

        // A new tag is a new image: the deploy says so, and the version moves.
        var yaml = Path.Combine(folder, "weir.yaml");
        await File.WriteAllTextAsync(yaml, (await File.ReadAllTextAsync(yaml)).Replace("tag: 't1'", "tag: 't2'", StringComparison.Ordinal));
        var again = await WeirAsync(folder, "deploy", "flags");

        again.ExitCode.ShouldBe(0, again.Stdout + again.Stderr);
        again.Stdout.ShouldContain($"Deployment recipe-hello/flags updated (the image changed: {image}:t1 → {image}:t2): version 1 → 2");
        again.Stdout.ShouldNotContain("unchanged");
    }

    [Fact]
    public async Task DockerRecipe_DeployDialogue_WritesTheImageAndSaysSo_AndTheRunCompletes()
    {
        var folder = await ProjectAsync("recipe-tty");
        var image = $"{fixture.Registry}/recipe-tty";
        await InitAsync(folder, image, "t1", ContainerFixture.BaseImage);
        await using var terminal = Pty.Start(fixture.Cli, folder, "deploy", "--pool", ContainerFixture.Pool);

        await terminal.AnswerAsync("Select a flow to deploy", "\r");
        await terminal.AnswerAsync("Deployment name", "tty\r");
        var exit = await terminal.WaitForExitAsync();

        output.WriteLine(terminal.Screen);
        exit.ShouldBe(0, terminal.Screen);
        terminal.Screen.ShouldContain("Wrote deployment tty (flows/hello.cs:recipe-hello) to weir.yaml, with job_variables: { image: '{{ build_image.image }}' }");
        terminal.Screen.ShouldContain("Deployment recipe-hello/tty created");
        var deployment = (await fixture.Client.GetDeploymentAsync("recipe-hello", "tty", CancellationToken.None)).ShouldNotBeNull();
        deployment.JobVariables!["image"]!.GetValue<string>().ShouldBe($"{image}:t1");

        var (run, logs) = await RunToEndAsync("tty");

        run.State.ShouldBe(StateType.Completed, $"{run.StateMessage}\n{logs}\n{fixture.WorkerLog}");
        logs.ShouldContain("hello from the recipe image, in /opt/weir/project, data: baked in");
    }

    [Fact]
    public async Task DockerRecipe_BaseImageMissingOffline_FailsWithOneClearError_AndLeavesWeirYamlAsItWas()
    {
        var folder = await ProjectAsync("recipe-offline");
        // Nothing listens on port 9: a registry that cannot be reached, as without the internet.
        const string missing = "127.0.0.1:9/weir/no-such-base:10.0";
        await InitAsync(folder, $"{fixture.Registry}/recipe-offline", "t1", missing);
        var before = await File.ReadAllTextAsync(Path.Combine(folder, "weir.yaml"));

        var deploy = await WeirAsync(folder, "deploy", "--entrypoint", "flows/hello.cs:recipe-hello", "--name", "offline", "--pool", ContainerFixture.Pool);

        deploy.ExitCode.ShouldNotBe(0);
        var error = deploy.Stderr[deploy.Stderr.IndexOf("error:", StringComparison.Ordinal)..];
        error.ShouldContain($"the base image '{missing}' is not on the Docker daemon at {fixture.DockerHost} and could not be pulled");
        error.ShouldContain("Give 'base_image' an image the daemon has");
        error.ShouldContain("A base image without the internet");
        deploy.Stderr.ShouldNotContain("Step 1/");
        (await File.ReadAllTextAsync(Path.Combine(folder, "weir.yaml"))).ShouldBe(before);
        (await fixture.Client.GetDeploymentAsync("recipe-hello", "offline", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Deploy_FailedDockerBuild_ShowsOnlyTheLastLinesOfDockersOutputInTheError()
    {
        var folder = await ProjectAsync("failed-build");
        var dockerfile = $"FROM {ContainerFixture.BaseImage}\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"LABEL step{i}=number-{i}\n")) + "COPY does-not-exist /nowhere\n";
        await File.WriteAllTextAsync(Path.Combine(folder, "Dockerfile"), dockerfile);
        await ProjectFiles.WriteWeirYamlAsync(folder, $$$"""
            name: failed-build
            build:
            - build_docker_image:
                id: build_image
                image_name: '{{{fixture.Registry}}}/failed-build'
                tag: v1
                dockerfile: Dockerfile
            deployments:
            - name: broken
              entrypoint: flows/hello.cs:recipe-hello
              work_pool: { name: {{{ContainerFixture.Pool}}}, job_variables: { image: '{{ build_image.image }}' } }
            """);

        var deploy = await WeirAsync(folder, "deploy", "broken");

        deploy.ExitCode.ShouldNotBe(0);
        var error = deploy.Stderr[deploy.Stderr.IndexOf("error:", StringComparison.Ordinal)..];
        error.ShouldContain("build step 1 'build_docker_image' (id 'build_image') at weir.yaml:3:3 failed: docker build of");
        error.ShouldContain("(all of its output is above)");
        error.ShouldContain("does-not-exist");
        error.ShouldNotContain("number-1\n");
        error.ShouldNotContain("number-2 ");
        error.Split('\n').Length.ShouldBeLessThanOrEqualTo(14, error);
        deploy.Stderr.ShouldContain("number-1"); // the whole output was shown as it ran
    }
}
