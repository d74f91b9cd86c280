using Weir.Storage.Docker;
using Weir.Storage.Steps;

namespace Weir.Storage.Tests.Docker;

public sealed class DockerStepsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-docker-steps-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text = "x")
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task AutoDockerfile_CopiesRunnerProjectMinusWeirignoreAndFiles_WithoutRunningAnythingAtBuildTime()
    {
        Write("runner/Weir.Cli.dll");
        Write("runner/runtimes/linux-x64/native/lib.so");
        Write("project/flows/a.cs");
        Write("project/bin/Debug/out.dll");
        Write("project/local.secret");
        Write("project/.weirignore", "*.secret\nbin/\n");
        var extra = Write("elsewhere/extra.cs");
        var context = Path.Combine(_root, "context");
        Directory.CreateDirectory(context);

        var (dockerfile, count) = await AutoDockerfile.WriteAsync(context, "base:1", Path.Combine(_root, "runner"), Path.Combine(_root, "project"),
            [new(extra, "/opt/flows/extra.cs"), new(extra, "more/extra.cs")], _ => { }, CancellationToken.None);

        dockerfile.ShouldStartWith("# Written by Weir's build_docker_image (dockerfile: auto).\nFROM base:1\nCOPY runner/ /opt/weir/runner/\n");
        dockerfile.ShouldContain("COPY project/ /opt/weir/project/\n");
        dockerfile.ShouldContain("COPY [\"files/0/extra.cs\", \"/opt/flows/extra.cs\"]\n");
        dockerfile.ShouldContain("COPY [\"files/1/extra.cs\", \"/opt/weir/project/more/extra.cs\"]\n");
        dockerfile.ShouldEndWith("WORKDIR /opt/weir/project\n");
        dockerfile.ShouldNotContain("RUN ");
        count.ShouldBe(2);
        File.Exists(Path.Combine(context, "project", "flows", "a.cs")).ShouldBeTrue();
        File.Exists(Path.Combine(context, "project", "local.secret")).ShouldBeFalse();
        Directory.Exists(Path.Combine(context, "project", "bin")).ShouldBeFalse();
        File.Exists(Path.Combine(context, "runner", "runtimes", "linux-x64", "native", "lib.so")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(context, "weir")).ShouldBe("#!/bin/sh\nexec dotnet /opt/weir/runner/Weir.Cli.dll \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(context, "weir")).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
        }
    }

    [Theory]
    [InlineData("127.0.0.1:5000/flows", "127.0.0.1:5000")]
    [InlineData("registry.example.com/team/flows", "registry.example.com")]
    [InlineData("localhost/flows", "localhost")]
    [InlineData("team/flows", "docker.io")]
    [InlineData("flows", "docker.io")]
    public void RegistryOf_IsTheFirstPartWhenItIsAHost(string image, string registry) =>
        PushDockerImageStep.RegistryOf(image).ShouldBe(registry);

    private static Task<IReadOnlyDictionary<string, object?>> BuildAsync(string project, Dictionary<string, object?> arguments) =>
        new BuildDockerImageStep(new DockerCli("/nonexistent/docker")).RunAsync(new StepArguments("build_docker_image", arguments), new StepContext(project, Path.Combine(project, ".cache")), CancellationToken.None);

    [Fact]
    public async Task Build_WithAFolderThatHoldsNoRunner_SaysWhichSettingToUse()
    {
        var error = await Should.ThrowAsync<StepException>(() => BuildAsync(_root, new() { ["image_name"] = "x", ["runner_directory"] = _root }));

        error.Message.ShouldContain($"the folder '{_root}' holds no Weir runner (Weir.Cli.dll and Weir.Cli.runtimeconfig.json). Set 'runner_directory'");
    }

    [Fact]
    public async Task Build_GivenDockerfileThatIsMissing_NamesThePathLookedAt()
    {
        var error = await Should.ThrowAsync<StepException>(() => BuildAsync(_root, new() { ["image_name"] = "x", ["dockerfile"] = "Dockerfile.nope" }));

        error.Message.ShouldContain($"the Dockerfile 'Dockerfile.nope' does not exist (looked at {Path.Combine(_root, "Dockerfile.nope")})");
    }

    [Fact]
    public async Task Build_WithoutDocker_SaysHowToInstallIt()
    {
        Write("Dockerfile", "FROM scratch\n");

        var error = await Should.ThrowAsync<StepException>(() => BuildAsync(_root, new() { ["image_name"] = "x", ["dockerfile"] = "Dockerfile" }));

        error.Message.ShouldContain("Could not start '/nonexistent/docker'");
        error.Message.ShouldContain("apt-get install docker.io");
    }

    [Fact]
    public async Task Push_WithCredentialsMissingAPassword_NamesTheField()
    {
        var step = new PushDockerImageStep(new DockerCli("/nonexistent/docker"));
        var arguments = new StepArguments("push_docker_image", new Dictionary<string, object?>
        {
            ["image_name"] = "127.0.0.1:5000/x",
            ["credentials"] = new Dictionary<string, object?> { ["username"] = "u" },
        });

        var error = await Should.ThrowAsync<StepException>(() => step.RunAsync(arguments, new StepContext(_root, _root), CancellationToken.None));

        error.Message.ShouldContain("the credentials block has no 'password'");
    }
}
