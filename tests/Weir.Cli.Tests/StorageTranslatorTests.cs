using Weir.Deploy.Registration;
using Weir.Storage.Project;
using Weir.Storage.Steps;

namespace Weir.Cli.Tests;

/// <summary>Each code-first storage object becomes the same steps a weir.yaml would hold (seeds 000/001).</summary>
public sealed class StorageTranslatorTests
{
    private readonly string _dir = TempFolder.New("weir-cli-tests-");

    private string FlowFile()
    {
        var path = Path.Combine(_dir, "flows", "my_flow.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "// flow");
        return path;
    }

    private static WeirProject Read(TranslatedStorage t) => new()
    {
        Path = "weir.yaml",
        Build = StepDefinition.FromJson(t.Build, "test", "build"),
        Push = StepDefinition.FromJson(t.Push, "test", "push"),
        Pull = StepDefinition.FromJson(t.Pull, "test", "pull"),
    };

    private static string? Arg(StepDefinition step, string name) => step.Arguments[name]?.ToPlain()?.ToString();

    [Fact]
    public void GitHub_BecomesAGitClone_WithTheTokenSecretAsABlockReference()
    {
        var t = StorageTranslator.Translate(new GitHubStorage(repo: "org/repo", path: "flows/my_flow.cs") { AccessTokenSecret = "GITHUB_ACCESS_TOKEN", Branch = "main" }, FlowFile(), "MyProject", _dir);

        t.EntrypointPath.ShouldBe("flows/my_flow.cs");
        var clone = Read(t).Pull.ShouldHaveSingleItem();
        clone.ShortName.ShouldBe("git_clone");
        Arg(clone, "repository").ShouldBe("https://github.com/org/repo.git");
        Arg(clone, "branch").ShouldBe("main");
        Arg(clone, "access_token").ShouldBe("{{ weir.blocks.secret.GITHUB_ACCESS_TOKEN }}");
        Read(t).Push.ShouldBeEmpty();
    }

    [Fact]
    public void GitLabAndBitbucket_UseTheirHostsAndCredentialBlockTypes()
    {
        var gitlab = Read(StorageTranslator.Translate(new GitLabStorage("group/flows", "a.cs") { Host = "https://git.example.com/", CredentialsBlock = "ci" }, FlowFile(), "p", _dir)).Pull.Single();
        Arg(gitlab, "repository").ShouldBe("https://git.example.com/group/flows.git");
        Arg(gitlab, "credentials").ShouldBe("{{ weir.blocks.gitlab-credentials.ci }}");

        var server = Read(StorageTranslator.Translate(new BitbucketStorage(project: "PROJ", repo: "flows", path: "a.cs") { Host = "https://bitbucket.example.com", AccessTokenSecret = "BITBUCKET_ACCESS_TOKEN" }, FlowFile(), "p", _dir)).Pull.Single();
        Arg(server, "repository").ShouldBe("https://bitbucket.example.com/scm/PROJ/flows.git");
        Arg(server, "access_token").ShouldBe("{{ weir.blocks.secret.BITBUCKET_ACCESS_TOKEN }}");

        var cloud = Read(StorageTranslator.Translate(new BitbucketStorage("workspace", "org/flows", "a.cs"), FlowFile(), "p", _dir)).Pull.Single();
        Arg(cloud, "repository").ShouldBe("https://bitbucket.org/workspace/flows.git");
    }

    [Fact]
    public void GitStorages_SayTheirHostKind_SoASelfHostedServerGetsItsTokenFormat()
    {
        var gitlab = Read(StorageTranslator.Translate(new GitLabStorage("group/flows", "a.cs") { Host = "https://git.example.com", AccessTokenSecret = "T" }, FlowFile(), "p", _dir)).Pull.Single();
        var bitbucket = Read(StorageTranslator.Translate(new BitbucketStorage("PROJ", "flows", "a.cs") { Host = "https://scm.example.com" }, FlowFile(), "p", _dir)).Pull.Single();
        var github = Read(StorageTranslator.Translate(new GitHubStorage("org/repo", "a.cs"), FlowFile(), "p", _dir)).Pull.Single();

        Arg(gitlab, "provider").ShouldBe("gitlab");
        Arg(bitbucket, "provider").ShouldBe("bitbucket");
        Arg(github, "provider").ShouldBe("github");
    }

    [Fact]
    public void GitStorage_StoredAsAssembly_IsRefusedWithTheReason()
    {
        Should.Throw<Weir.Deploy.DeployException>(() => StorageTranslator.Translate(new GitHubStorage("org/repo", "a.cs") { StoredAsScript = false }, FlowFile(), "p", _dir))
            .Message.ShouldStartWith("`GitHub` storage keeps flows only as scripts");
    }

    [Theory]
    [InlineData("s3", "push_to_s3", "pull_from_s3", "bucket", "aws-credentials")]
    [InlineData("gcs", "push_to_gcs", "pull_from_gcs", "bucket", "gcp-credentials")]
    [InlineData("azure", "push_to_azure_blob_storage", "pull_from_azure_blob_storage", "container", "azure-blob-storage-credentials")]
    public void ObjectStores_PushTheScriptToTheKeysFolder_AndPullIt(string kind, string push, string pull, string place, string blockType)
    {
        FlowStorage storage = kind switch
        {
            "s3" => new S3Storage("my-flow-bucket", key: "flow_path/in_bucket.cs") { CredentialsBlock = "creds", EndpointUrl = "http://127.0.0.1:9000" },
            "gcs" => new GcsStorage("my-flow-bucket", key: "flow_path/in_bucket.cs") { CredentialsBlock = "creds", EndpointUrl = "http://127.0.0.1:9000" },
            _ => new AzureStorage("my-flow-bucket", key: "flow_path/in_bucket.cs") { CredentialsBlock = "creds" },
        };

        var t = StorageTranslator.Translate(storage, FlowFile(), "p", _dir);
        var project = Read(t);

        t.EntrypointPath.ShouldBe("in_bucket.cs");
        var pushStep = project.Push.ShouldHaveSingleItem();
        pushStep.ShortName.ShouldBe(push);
        Arg(pushStep, place).ShouldBe("my-flow-bucket");
        Arg(pushStep, "folder").ShouldBe("flow_path");
        Arg(pushStep, "credentials").ShouldBe($"{{{{ weir.blocks.{blockType}.creds }}}}");
        var pullStep = project.Pull.ShouldHaveSingleItem();
        pullStep.ShortName.ShouldBe(pull);
        Arg(pullStep, "folder").ShouldBe("{{ push_code.folder }}");
        // Its own manifest: another flow under flow_path/ keeps its files.
        Arg(pushStep, "manifest").ShouldBe("in_bucket.cs");
        Arg(pullStep, "manifest").ShouldBe("{{ push_code.manifest }}");
        if (kind != "azure")
        {
            Arg(pullStep, "endpoint_url").ShouldBe("http://127.0.0.1:9000");
        }
    }

    [Fact]
    public void ObjectStore_WithoutKey_GeneratesOne_AndUploadsTheLocalScriptPath()
    {
        var other = Path.Combine(_dir, "other.cs");
        File.WriteAllText(other, "// other");

        var t = StorageTranslator.Translate(new S3Storage("b") { LocalScriptPath = "other.cs" }, FlowFile(), "My Project", _dir);

        t.ScriptPath.ShouldBe(other);
        t.EntrypointPath.ShouldBe("other.cs");
        Arg(Read(t).Push.Single(), "folder").ShouldBe("weir/my-project/other");
    }

    [Fact]
    public void ObjectStore_StoredAsAssembly_NeedsNoPushOrPull()
    {
        var t = StorageTranslator.Translate(new GcsStorage("b") { StoredAsScript = false }, FlowFile(), "p", _dir);

        t.NoPull.ShouldBeTrue();
        t.Push.ShouldBeNull();
        t.Pull.ShouldBeNull();
    }

    [Fact]
    public void Docker_BuildsAndPushesTheImage_AndPullsFromThePathInTheImage()
    {
        var t = StorageTranslator.Translate(new DockerStorage(path: "/opt/flows/my_flow.cs", files: new Dictionary<string, string> { ["/source/of/my_flow.cs"] = "my_flow.cs" }) { ImageName = "127.0.0.1:5000/flows" }, FlowFile(), "p", _dir);
        var project = Read(t);

        t.EntrypointPath.ShouldBe("my_flow.cs");
        var build = project.Build.ShouldHaveSingleItem();
        build.ShortName.ShouldBe("build_docker_image");
        Arg(build, "image_name").ShouldBe("127.0.0.1:5000/flows");
        Arg(build, "tag").ShouldBe("latest");
        project.Push.ShouldHaveSingleItem().ShortName.ShouldBe("push_docker_image");
        var pull = project.Pull.ShouldHaveSingleItem();
        pull.ShortName.ShouldBe("set_working_directory");
        Arg(pull, "directory").ShouldBe("/opt/flows");
        t.JobVariables!["image"]!.GetValue<string>().ShouldBe("{{ build_image.image }}");
    }

    [Fact]
    public void Docker_WithFiles_CopiesThemAndTheFlowToPath_OnTheBaseImage_AndPushesWithTheCredentialsBlock()
    {
        var flow = FlowFile();
        var t = StorageTranslator.Translate(
            new DockerStorage(path: "flows/etl.cs", files: new Dictionary<string, string> { ["flows/my_flow.cs"] = "flows/etl.cs", ["/etc/hostname"] = "/etc/copied" })
            { ImageName = "reg/etl", Tag = "v2", BaseImage = "my-base:1", RegistryCredentials = "my-registry" },
            flow, "p", _dir);
        var project = Read(t);

        t.EntrypointPath.ShouldBe("flows/etl.cs");
        t.ScriptPath.ShouldBe(flow);
        t.ScriptInImage.ShouldBeNull();
        var build = project.Build.ShouldHaveSingleItem();
        Arg(build, "base_image").ShouldBe("my-base:1");
        Arg(build, "include_code").ShouldBe("False");
        var files = build.Arguments["files"]!.ToPlain().ShouldBeAssignableTo<IReadOnlyDictionary<string, object?>>()!;
        files.Keys.ShouldBe([flow, "/etc/hostname"]);
        Arg(project.Push.Single(), "credentials").ShouldBe("{{ weir.blocks.docker-registry-credentials.my-registry }}");
        // Runs start in the project folder, where relative Files go, so the flow reads them by those paths.
        Arg(project.Pull.Single(), "directory").ShouldBe("/opt/weir/project");
    }

    [Fact]
    public void Docker_PathOnly_IsAnImageThatHoldsTheFlow_NothingIsBuiltAndTheFileIsReadFromTheImage()
    {
        var t = StorageTranslator.Translate(new DockerStorage("/opt/flows/hello.cs") { ImageName = "reg/prebuilt", Tag = "v1" }, FlowFile(), "p", _dir);

        t.Build.ShouldBeNull();
        t.Push.ShouldBeNull();
        t.ScriptInImage.ShouldBe(("reg/prebuilt:v1", "/opt/flows/hello.cs"));
        t.EntrypointPath.ShouldBe("hello.cs");
        Arg(Read(t).Pull.Single(), "directory").ShouldBe("/opt/flows");
        t.JobVariables!["image"]!.GetValue<string>().ShouldBe("reg/prebuilt:v1");

        Should.Throw<Weir.Deploy.DeployException>(() => StorageTranslator.Translate(new DockerStorage("/opt/flows/hello.cs"), FlowFile(), "p", _dir))
            .Message.ShouldContain("name that image with ImageName");
        Should.Throw<Weir.Deploy.DeployException>(() => StorageTranslator.Translate(new DockerStorage("/opt/flows/hello.cs") { ImageName = "x", BaseImage = "b" }, FlowFile(), "p", _dir))
            .Message.ShouldContain("BaseImage applies only to an image it builds");
    }

    [Fact]
    public void Local_RunsFromItsDirectory_AndRefusesAFileOutsideIt()
    {
        var file = FlowFile();
        var t = StorageTranslator.Translate(new LocalStorage(_dir), file, "p", _dir);

        t.EntrypointPath.ShouldBe("flows/my_flow.cs");
        Arg(Read(t).Pull.Single(), "directory").ShouldBe(_dir);
        Should.Throw<Weir.Deploy.DeployException>(() => StorageTranslator.Translate(new LocalStorage(Path.Combine(_dir, "elsewhere")), file, "p", _dir))
            .Message.ShouldContain("is not inside the LocalStorage directory");
    }
}
