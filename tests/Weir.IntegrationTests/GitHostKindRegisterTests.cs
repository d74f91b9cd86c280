namespace Weir.IntegrationTests;

/// <summary>
/// Code-first <c>GitLabStorage</c> and <c>BitbucketStorage</c> on self-hosted servers (a real git server over HTTP,
/// whose /gitlab/ and /bitbucket/ realms accept only the user names those hosts use, on 127.0.0.1: no host name
/// says "gitlab"): a plain Secret token goes in the storage's own format, so registration and a worker's run work.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class GitHostKindRegisterTests(ServerAndWorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-itest-hostkind-").FullName;
    private readonly string _gitLabToken = "glpat-" + Guid.NewGuid().ToString("N");
    private readonly string _bitbucketToken = "bbtok-" + Guid.NewGuid().ToString("N");
    private InfraServer _git = null!;

    private string GitDir => Path.Combine(_root, "git");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(GitDir, "realms"));
        // No user at all outside the realms; inside, only each host's own token user name.
        await File.WriteAllTextAsync(Path.Combine(GitDir, "users"), string.Empty);
        await File.WriteAllTextAsync(Path.Combine(GitDir, "realms", "gitlab"), $"oauth2:{{PLAIN}}{_gitLabToken}\n");
        await File.WriteAllTextAsync(Path.Combine(GitDir, "realms", "bitbucket"), $"x-token-auth:{{PLAIN}}{_bitbucketToken}\n");
        _git = await InfraServer.StartOnFreePortAsync("git-server.sh", GitDir);
    }

    public async Task DisposeAsync()
    {
        await _git.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static string Flow(string storage, string flow) => $$"""
        using Weir;
        public static class MyFlow
        {
            public static readonly FlowStorage Storage = {{storage}};

            [Task]
            public static string Where() => "cloned with the host's own token format";

            [Flow("{{flow}}")]
            public static void Run() => Console.WriteLine(Where());
        }
        """;

    [Theory]
    [InlineData("gitlab", "new GitLabStorage(repo: \"group/flows\", path: \"flows/my_flow.cs\") { Host = \"URL/gitlab\", Branch = \"main\", AccessTokenSecret = \"GITLAB_TOKEN_K\" }", "gitlab/group/flows.git")]
    [InlineData("bitbucket", "new BitbucketStorage(project: \"PROJ\", repo: \"flows\", path: \"flows/my_flow.cs\") { Host = \"URL/bitbucket\", Branch = \"main\", AccessTokenSecret = \"BITBUCKET_TOKEN_K\" }", "bitbucket/scm/PROJ/flows.git")]
    public async Task SelfHostedStorage_WithAPlainSecretToken_RegistersAndRuns(string kind, string storage, string repositoryPath)
    {
        var project = Path.Combine(_root, "project-" + kind);
        var bare = Path.Combine(GitDir, "repos", repositoryPath);
        Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
        await Git.InitBareAsync(bare);
        var flow = $"hostkind-{kind}";
        await ProjectFiles.WriteFlowAsync(project, "my_flow.cs", Flow(storage.Replace("URL", _git.Url, StringComparison.Ordinal), flow));
        await Git.CommitAndPushAsync(project, bare, "Add my flow");
        var secret = kind == "gitlab" ? "GITLAB_TOKEN_K" : "BITBUCKET_TOKEN_K";
        await fixture.Client.PutBlockAsync("secret", secret, new JsonObject { ["value"] = kind == "gitlab" ? _gitLabToken : _bitbucketToken }, CancellationToken.None);

        var register = await fixture.Cli.RunAsync(project, "register", "-p", "flows/my_flow.cs", "--project", "HostKind", "--pool", ServerAndWorkerFixture.Pool);

        register.ExitCode.ShouldBe(0, register.Stdout + register.Stderr);
        var deployment = (await fixture.Client.GetDeploymentAsync(flow, "HostKind", CancellationToken.None)).ShouldNotBeNull();
        var clone = deployment.PullSteps.ShouldHaveSingleItem()!["git_clone"]!.AsObject();
        clone["repository"]!.GetValue<string>().ShouldBe($"{_git.Url}/{repositoryPath}");
        clone["provider"]!.GetValue<string>().ShouldBe(kind);
        var run = await fixture.Cli.RunAsync(project, "deployment", "run", $"{flow}/HostKind", "--watch");
        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        run.Stdout.ShouldContain("cloned with the host's own token format");
        (register.Stdout + register.Stderr + run.Stdout + run.Stderr).ShouldNotContain(kind == "gitlab" ? _gitLabToken : _bitbucketToken);
    }
}
