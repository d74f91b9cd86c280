namespace Weir.IntegrationTests;

/// <summary>
/// Seed 001 end to end: a flow file declares <c>GitHubStorage</c> with an access-token secret, is
/// committed and pushed to a private repository (a real git server over HTTP with basic auth on
/// 127.0.0.1), registered with <c>weir register</c>, and run by the real worker; a task edit is
/// committed and pushed, and the next run uses it without registering again.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class GitHubRegisterTests(ServerAndWorkerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-itest-github-").FullName;
    private readonly string _token = "ghp-" + Guid.NewGuid().ToString("N");
    private InfraServer _git = null!;

    private string GitDir => Path.Combine(_root, "git");

    private string Project => Path.Combine(_root, "project");

    private string Bare => Path.Combine(GitDir, "repos", "org", "repo.git");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(GitDir);
        await File.WriteAllTextAsync(Path.Combine(GitDir, "users"), $"x-access-token:{{PLAIN}}{_token}\n");
        _git = await InfraServer.StartOnFreePortAsync("git-server.sh", GitDir);
        Directory.CreateDirectory(Path.GetDirectoryName(Bare)!);
        await Git.InitBareAsync(Bare);
    }

    public async Task DisposeAsync()
    {
        await _git.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private string Flow(string printed) => $$"""
        using Weir;
        public static class MyFlow
        {
            public static readonly FlowStorage Storage = new GitHubStorage(repo: "org/repo", path: "flows/my_flow.cs")
            {
                Host = "{{_git.Url}}",
                Branch = "main",
                AccessTokenSecret = "GITHUB_ACCESS_TOKEN",
            };

            [Task]
            public static int[] GetData() => [1, 2, 3, 4, 5];

            [Task]
            public static void PrintData(int[] data) => Console.WriteLine("{{printed}}: " + string.Join(", ", data));

            [Flow("example")]
            public static void Example()
            {
                var data = GetData();
                PrintData(data);
            }
        }
        """;

    [Fact]
    public async Task GitHubStorage_RegisterOnce_ThenEveryPushedTaskEditRunsWithoutRegisteringAgain()
    {
        await ProjectFiles.WriteFlowAsync(Project, "my_flow.cs", Flow("first"));
        await Git.CommitAndPushAsync(Project, Bare, "Add my flow");
        await fixture.Client.PutBlockAsync("secret", "GITHUB_ACCESS_TOKEN", new JsonObject { ["value"] = _token }, CancellationToken.None);

        var register = await fixture.Cli.RunAsync(Project, "register", "-p", "flows/my_flow.cs", "--project", "MyProject", "--pool", ServerAndWorkerFixture.Pool);

        register.ExitCode.ShouldBe(0, register.Stdout + register.Stderr);
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "MyProject", CancellationToken.None)).ShouldNotBeNull();
        register.Stdout.ReplaceLineEndings("\n").ShouldBe($"""
            Collecting flows...
            Processing 'flows/my_flow.cs':
              Building `GitHub` storage...
              Registering 'example'... Done
              └── ID: {deployment.Id}
              └── Version: 1
            ======================== 1 registered ========================

            """);
        var clone = deployment.PullSteps.ShouldHaveSingleItem()!["git_clone"]!.AsObject();
        clone["repository"]!.GetValue<string>().ShouldBe($"{_git.Url}/org/repo.git");
        clone["access_token"]!.GetValue<string>().ShouldBe("{{ weir.blocks.secret.GITHUB_ACCESS_TOKEN }}");

        (await RunAsync()).ShouldContain("first: 1, 2, 3, 4, 5");

        await ProjectFiles.WriteFlowAsync(Project, "my_flow.cs", Flow("second"));
        await Git.CommitAndPushAsync(Project, Bare, "Change a task");
        // Workers ask the git server about a branch at most once per refresh window (git_clone's refresh_seconds,
        // 1 s by default); the promise is that every run starting more than a window after the push uses it.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var second = await RunAsync();

        second.ShouldContain("second: 1, 2, 3, 4, 5");
        (register.Stdout + register.Stderr + second).ShouldNotContain(_token);
    }

    private async Task<string> RunAsync()
    {
        var run = await fixture.Cli.RunAsync(Project, "deployment", "run", "example/MyProject", "--watch");
        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        return run.Stdout;
    }
}
