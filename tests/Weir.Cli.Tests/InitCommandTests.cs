using Weir.Storage.Project;

namespace Weir.Cli.Tests;

public sealed class InitCommandTests
{
    private readonly WeirCli _weir = new(TempFolder.New("weir-cli-tests-"));

    [Theory]
    [InlineData("local", new string[0], "set_working_directory", null)]
    [InlineData("git", new[] { "repository=https://example.invalid/org/flows.git", "token_block=repo-token" }, "git_clone", null)]
    [InlineData("s3", new[] { "bucket=my-bucket", "credentials_block=my-creds" }, "pull_from_s3", "push_to_s3")]
    [InlineData("azure", new[] { "container=flows" }, "pull_from_azure_blob_storage", "push_to_azure_blob_storage")]
    [InlineData("gcs", new[] { "bucket=my-bucket" }, "pull_from_gcs", "push_to_gcs")]
    [InlineData("docker", new string[0], "set_working_directory", "push_docker_image")]
    [InlineData("docker-git", new[] { "repository=https://example.invalid/org/flows.git" }, "git_clone", "push_docker_image")]
    [InlineData("docker-s3", new[] { "bucket=b" }, "pull_from_s3", "push_docker_image")]
    [InlineData("docker-azure", new[] { "container=c" }, "pull_from_azure_blob_storage", "push_docker_image")]
    [InlineData("docker-gcs", new[] { "bucket=b" }, "pull_from_gcs", "push_docker_image")]
    public async Task Init_EachRecipe_WritesAWeirYamlThatReads(string recipe, string[] fields, string pullStep, string? pushStep)
    {
        var dir = TempFolder.New("weir-cli-tests-");
        var (exit, stdout, stderr) = await _weir.RunAsync(dir, ["init", "--recipe", recipe, .. fields.SelectMany(f => new[] { "--field", f })]);

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain($"with the {recipe} recipe");
        var project = WeirProjectReader.ReadFile(Path.Combine(dir, "weir.yaml"));
        project.Name.ShouldBe(Path.GetFileName(dir));
        project.Pull.Last().ShouldNotBeNull().ShortName.ShouldBe(pullStep);
        if (pushStep is not null)
        {
            project.Push.ShouldContain(s => s.ShortName == pushStep);
        }

        project.Deployments.ShouldBeEmpty();
        File.ReadAllText(Path.Combine(dir, ".weirignore")).ShouldContain("bin/");
    }

    [Fact]
    public async Task Init_KubernetesRecipe_WritesThePoolsTemplateAndADeploymentOnTheBuiltImage()
    {
        var dir = TempFolder.New("weir-cli-tests-");
        var (exit, stdout, stderr) = await _weir.RunAsync(dir, "init", "--recipe", "kubernetes", "--field", "image_name=registry.example.com/flows",
            "--field", "namespace=flows", "--field", "entrypoint=flows/hello.cs:hello");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("weir work-pool create k8s --type kubernetes --base-job-template kubernetes-job-template.yaml");
        var project = WeirProjectReader.ReadFile(Path.Combine(dir, "weir.yaml"));
        project.Build.ShouldContain(s => s.ShortName == "build_docker_image");
        project.Push.ShouldContain(s => s.ShortName == "push_docker_image");
        var deployment = project.Deployments.ShouldHaveSingleItem();
        deployment.Entrypoint.ShouldBe("flows/hello.cs:hello");
        var written = File.ReadAllText(Path.Combine(dir, "weir.yaml"));
        written.ShouldContain("image: '{{ build_image.image }}'");
        written.ShouldContain("namespace: 'flows'");
        File.ReadAllText(Path.Combine(dir, "kubernetes-job-template.yaml")).ShouldBe(Weir.Worker.Kubernetes.KubernetesJobTemplate.DefaultYaml);
    }

    [Fact]
    public async Task Init_ObjectStoreRecipeWithoutACredentialsBlock_SaysWhatCredentialsTheStepsWillUse()
    {
        var dir = TempFolder.New("weir-cli-tests-");

        var (exit, stdout, stderr) = await _weir.RunAsync(dir, "init", "--recipe", "gcs", "--field", "bucket=my-bucket");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("Note: push step 1 'push_to_gcs' (id 'push_code') at weir.yaml:10:3 has no credentials block, so it uses Google's Application Default Credentials on the machine that runs weir deploy");
        stdout.ShouldContain("Note: pull step 1 'pull_from_gcs' (id 'pull_code') at weir.yaml:17:3 has no credentials block, so it uses Google's Application Default Credentials on each worker");
    }

    [Fact]
    public async Task Init_DockerRecipe_WritesTheBaseImageAndRegistryCredentialsFields()
    {
        var dir = TempFolder.New("weir-cli-tests-");

        var (exit, _, stderr) = await _weir.RunAsync(dir, "init", "--recipe", "docker", "--field", "base_image=weir-base:10.0", "--field", "registry_credentials=my-registry");

        exit.ShouldBe(0, stderr);
        var project = WeirProjectReader.ReadFile(Path.Combine(dir, "weir.yaml"));
        project.Build.ShouldHaveSingleItem().Arguments["base_image"]!.ToPlain().ShouldBe("weir-base:10.0");
        project.Push.ShouldHaveSingleItem().Arguments["credentials"]!.ToPlain().ShouldBe("{{ weir.blocks.docker-registry-credentials.my-registry }}");
        var defaults = TempFolder.New("weir-cli-tests-");
        (await _weir.RunAsync(defaults, "init", "--recipe", "docker")).ExitCode.ShouldBe(0);
        WeirProjectReader.ReadFile(Path.Combine(defaults, "weir.yaml")).Build.Single().Arguments["base_image"]!.ToPlain().ShouldBe("mcr.microsoft.com/dotnet/aspnet:10.0");
    }

    [Fact]
    public async Task Init_InAGitRepository_PicksGitWithItsRemoteAndBranch()
    {
        var dir = await InitInARepositoryAsync("trunk", "https://example.invalid/org/repo.git");

        var clone = WeirProjectReader.ReadFile(Path.Combine(dir, "weir.yaml")).Pull.ShouldHaveSingleItem();
        clone.ShortName.ShouldBe("git_clone");
        clone.Arguments["repository"]!.ToPlain().ShouldBe("https://example.invalid/org/repo.git");
        clone.Arguments["branch"]!.ToPlain().ShouldBe("trunk");
    }

    [Fact]
    public async Task Init_WithARemoteThatHoldsAToken_WritesTheUrlWithoutIt()
    {
        var dir = await InitInARepositoryAsync("main", "https://someone:t0ken-in-url@example.invalid/org/repo.git");

        var yaml = await File.ReadAllTextAsync(Path.Combine(dir, "weir.yaml"));
        yaml.ShouldContain("repository: 'https://example.invalid/org/repo.git'");
        yaml.ShouldNotContain("t0ken-in-url");
    }

    [Fact]
    public async Task Init_WithoutATerminalAndAMissingField_NamesTheOption()
    {
        var (exit, _, stderr) = await _weir.RunAsync(TempFolder.New("weir-cli-tests-"), "init", "--recipe", "s3");

        exit.ShouldBe(2);
        stderr.ShouldContain("The s3 recipe needs 'bucket' (Bucket name); give it with --field bucket=VALUE.");
    }

    [Fact]
    public async Task Init_WhenWeirYamlExists_RefusesWithoutForce()
    {
        var dir = TempFolder.New("weir-cli-tests-");
        await File.WriteAllTextAsync(Path.Combine(dir, "weir.yaml"), "name: mine\n");

        var refused = await _weir.RunAsync(dir, "init", "--recipe", "local");
        refused.ExitCode.ShouldBe(2);
        refused.Stderr.ShouldContain("weir.yaml already exists here; pass --force to overwrite it.");
        (await File.ReadAllTextAsync(Path.Combine(dir, "weir.yaml"))).ShouldBe("name: mine\n");

        var forced = await _weir.RunAsync(dir, "init", "--recipe", "local", "--force");
        forced.ExitCode.ShouldBe(0, forced.Stderr);
    }

    /// <summary>Runs <c>weir init</c> (no recipe) in a new git repository on <paramref name="branch"/> whose origin is <paramref name="remote"/>, checked to succeed; the folder.</summary>
    private async Task<string> InitInARepositoryAsync(string branch, string remote)
    {
        var dir = TempFolder.New("weir-cli-tests-");
        await Git.RunAsync(dir, "init", "-q", "-b", branch);
        await Git.RunAsync(dir, "remote", "add", "origin", remote);

        var (exit, _, stderr) = await _weir.RunAsync(dir, "init");

        exit.ShouldBe(0, stderr);
        return dir;
    }
}
