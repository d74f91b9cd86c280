namespace Weir.IntegrationTests;

/// <summary>
/// <c>weir deploy</c> creating deployments: in a git repository (a git_clone pull step for its remote
/// and branch), from options with no terminal, and through the interactive dialogue in a real
/// pseudo-terminal. <c>weir init</c>'s recipes are accepted by deploy.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class DeployTests(ServerAndWorkerFixture fixture) : IDisposable
{
    private const string Remote = "https://git.example.invalid/org/flows.git";

    private readonly string _project = Directory.CreateTempSubdirectory("weir-itest-deploy-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private const string FlowSource = """
        using Weir;
        public static class MyFlow
        {
            [Task]
            public static int[] GetData() => [1, 2, 3];

            [Flow("example")]
            public static void Example(int limit = 5) => Console.WriteLine(GetData().Length);
        }
        """;

    /// <summary>Writes the project's flow file (<see cref="FlowSource"/>).</summary>
    private async Task WriteFlowAsync()
    {
        await ProjectFiles.WriteFlowAsync(_project, "my_flow.cs", FlowSource);
    }

    private async Task GitRepositoryAsync()
    {
        await WriteFlowAsync();
        await Git.RunAsync(_project, "init", "-q", "-b", "main");
        await Git.RunAsync(_project, "remote", "add", "origin", Remote);
    }

    [Fact]
    public async Task Deploy_InAGitRepositoryWithNoPullSteps_WritesAGitClonePullStepForTheRemoteAndBranch()
    {
        await GitRepositoryAsync();
        await ProjectFiles.WriteWeirYamlAsync(_project, """
            # my project
            name: gitproj
            deployments:
            - name: from-git
              entrypoint: flows/my_flow.cs:example
              work_pool: { name: itest }
            """);

        var deploy = await fixture.Cli.RunAsync(_project, "deploy");

        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        deploy.Stdout.ShouldContain($"wrote a git_clone pull step for {Remote} (branch main)");
        var yaml = await File.ReadAllTextAsync(Path.Combine(_project, "weir.yaml"));
        yaml.ShouldStartWith("# my project\nname: gitproj\npull:\n- git_clone:\n    id: clone\n    repository: 'https://git.example.invalid/org/flows.git'\n    branch: 'main'\n");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "from-git", CancellationToken.None)).ShouldNotBeNull();
        var step = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["git_clone"]!.AsObject();
        step["repository"]!.GetValue<string>().ShouldBe(Remote);
        step["branch"]!.GetValue<string>().ShouldBe("main");
    }

    [Fact]
    public async Task Deploy_WithoutATerminal_TakesEveryAnswerFromOptions_AndNamesAMissingOne()
    {
        await GitRepositoryAsync();

        var missing = await fixture.Cli.RunAsync(_project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "flags", "--pool", "flag-pool");
        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("Is the repository private? Give --private true (and the token on standard input with --token-stdin) or --private false.");

        var noToken = await fixture.Cli.RunAsync(_project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "flags", "--pool", "flag-pool", "--private", "true");
        noToken.ExitCode.ShouldBe(2);
        noToken.Stderr.ShouldContain("The repository is private and there is no Secret block 'deployment-flags-example-repo-token' yet; pipe the token in with --token-stdin.");

        var deploy = await RunWithStdinAsync("flag-token-123\n", "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "flags", "--pool", "flag-pool", "--private", "true", "--token-stdin");

        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        await AssertCreatedAsync("flags", "flag-pool", "flag-token-123");
        (deploy.Stdout + deploy.Stderr).ShouldNotContain("flag-token-123");
    }

    [Fact]
    public async Task Deploy_InAPseudoTerminal_AsksLikeTheSeed_StoresTheTokenAndWritesWeirYaml()
    {
        await GitRepositoryAsync();
        await using var terminal = Pty.Start(fixture.Cli, _project, "deploy");

        await terminal.AnswerAsync("Select a flow to deploy", "\r");
        await terminal.AnswerAsync("Deployment name", "tty\r");
        await terminal.AnswerAsync("Would you like them to pull it from its remote repository?", "y\r");
        await terminal.AnswerAsync($"Is {Remote} the correct URL to pull your flow code from?", "y\r");
        await terminal.AnswerAsync("Is main the correct branch to pull your flow code from?", "y\r");
        await terminal.AnswerAsync("Is this a private repository?", "y\r");
        await terminal.AnswerAsync("Please enter a token that can be used to access your private repository", "tty-secret-456\r");
        await terminal.AnswerAsync("Which work pool should run this deployment?", "\r");
        await terminal.AnswerAsync("Work pool name", "tty-pool\r");
        var exit = await terminal.WaitForExitAsync();

        exit.ShouldBe(0, terminal.Screen);
        terminal.Screen.ShouldContain("Stored the token as the Secret block deployment-tty-example-repo-token.");
        terminal.Screen.ShouldContain("Deployment example/tty created");
        terminal.Screen.ShouldNotContain("tty-secret-456");
        await AssertCreatedAsync("tty", "tty-pool", "tty-secret-456");

        // A second dialogue (from a fresh weir.yaml) finds the block and offers to reuse it.
        File.Delete(Path.Combine(_project, "weir.yaml"));
        await using var again = Pty.Start(fixture.Cli, _project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", "tty", "--pool", "tty-pool", "--repository", Remote, "--branch", "main", "--private", "true");
        await again.AnswerAsync("The Secret block deployment-tty-example-repo-token already exists. Use it?", "y\r");
        (await again.WaitForExitAsync()).ShouldBe(0, again.Screen);
        again.Screen.ShouldContain("Using the Secret block deployment-tty-example-repo-token for the repository token.");
    }

    [Theory]
    [InlineData("local")]
    [InlineData("git")]
    public async Task Init_Recipe_WritesAWeirYamlThatDeployAccepts(string recipe)
    {
        await WriteFlowAsync();
        var init = await fixture.Cli.RunAsync(_project, ["init", "--recipe", recipe, .. recipe == "git" ? new[] { "--field", $"repository={Remote}", "--field", "token_block=init-token" } : []]);
        init.ExitCode.ShouldBe(0, init.Stdout + init.Stderr);
        if (recipe == "git")
        {
            // Deploy checks that the blocks a project names exist; init said so about this one.
            init.Stdout.ShouldContain("Warning: weir.yaml:17:19 (pull step 1 'git_clone' (id 'clone'), 'access_token') refers to the secret block 'init-token', which the server at");
            await fixture.Client.PutBlockAsync("secret", "init-token", new System.Text.Json.Nodes.JsonObject { ["value"] = "t" }, CancellationToken.None);
        }

        var deploy = await fixture.Cli.RunAsync(_project, "deploy", "--entrypoint", "flows/my_flow.cs:example", "--name", $"init-{recipe}", "--pool", ServerAndWorkerFixture.Pool);

        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        var deployment = (await fixture.Client.GetDeploymentAsync("example", $"init-{recipe}", CancellationToken.None)).ShouldNotBeNull();
        deployment.PullSteps.ShouldHaveSingleItem()!.AsObject().ContainsKey(recipe == "git" ? "git_clone" : "set_working_directory").ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(_project, "weir.yaml"))).ShouldContain("# pull: steps every worker runs before each flow run to get the code\n");
    }

    [Fact]
    public async Task Deploy_ReferencesToBlocksOrVariablesTheServerLacks_FailBeforeAnyStepNamingFileLineAndTheCommand()
    {
        var deploy = await DeployWithStepsAsync("refs", """
            build:
            - run_shell_script:
                script: touch built.txt
            pull:
            - git_clone:
                repository: https://git.example.invalid/org/flows.git
                access_token: '{{ weir.blocks.secret.absent-token }}'
            - set_working_directory:
                directory: '{{ weir.variables.absent_folder }}'
            """);

        deploy.ExitCode.ShouldBe(2, deploy.Stdout + deploy.Stderr);
        deploy.Stderr.ShouldContain($"2 references name blocks or variables the server at {fixture.Server.Url.ToString().TrimEnd('/')} does not have");
        deploy.Stderr.ShouldContain("weir.yaml:8:19 (pull step 1 'git_clone', 'access_token') refers to the secret block 'absent-token', which the server at");
        deploy.Stderr.ShouldContain("create it with: weir secret set absent-token");
        deploy.Stderr.ShouldContain("weir.yaml:10:16 (pull step 2 'set_working_directory', 'directory') refers to the variable 'absent_folder'");
        deploy.Stderr.ShouldContain("create it with: weir variable set absent_folder VALUE");
        File.Exists(Path.Combine(_project, "built.txt")).ShouldBeFalse("nothing is built before the references are checked");
        (await fixture.Client.GetDeploymentAsync("example", "refs", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Deploy_ObjectStoreStepsWithoutCredentials_SayWhichCredentialsTheyWillUse()
    {
        var deploy = await DeployWithStepsAsync("chain", """
            pull:
            - pull_from_s3:
                bucket: flows
                folder: chain
            - pull_from_gcs:
                bucket: flows
                folder: chain
            """);

        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        deploy.Stderr.ShouldContain("pull step 1 'pull_from_s3' at weir.yaml:3:3 has no credentials block, so it uses the AWS SDK's default credential chain on each worker");
        deploy.Stderr.ShouldContain("pull step 2 'pull_from_gcs' at weir.yaml:6:3 has no credentials block, so it uses Google's Application Default Credentials on each worker");
    }

    [Fact]
    public async Task Deploy_Again_SaysWhatChanged()
    {
        await WriteFlowAsync();
        var yaml = """
            name: changes
            deployments:
            - name: changes
              entrypoint: flows/my_flow.cs:example
              work_pool: { name: itest }
              parameters: { limit: 3 }
            """;
        await ProjectFiles.WriteWeirYamlAsync(_project, yaml);
        (await fixture.Cli.RunAsync(_project, "deploy")).Stdout.ShouldContain("Deployment example/changes created: version 1");

        var same = await fixture.Cli.RunAsync(_project, "deploy");
        await ProjectFiles.WriteWeirYamlAsync(_project, yaml.Replace("limit: 3", "limit: 4", StringComparison.Ordinal));
        var changed = await fixture.Cli.RunAsync(_project, "deploy");

        same.Stdout.ShouldContain("Deployment example/changes updated (nothing changed): version 1");
        changed.Stdout.ShouldContain("Deployment example/changes updated (the default parameters changed): version 1");
    }

    private async Task AssertCreatedAsync(string name, string pool, string token)
    {
        var block = (await fixture.Client.GetBlockAsync("secret", $"deployment-{name}-example-repo-token", reveal: true, CancellationToken.None)).ShouldNotBeNull();
        block.Fields["value"]!.GetValue<string>().ShouldBe(token);
        var deployment = (await fixture.Client.GetDeploymentAsync("example", name, CancellationToken.None)).ShouldNotBeNull();
        deployment.WorkPool.ShouldBe(pool);
        var step = deployment.PullSteps.ShouldHaveSingleItem()!.AsObject()["git_clone"]!.AsObject();
        step["repository"]!.GetValue<string>().ShouldBe(Remote);
        step["access_token"]!.GetValue<string>().ShouldBe($"{{{{ weir.blocks.secret.deployment-{name}-example-repo-token }}}}");
        deployment.PullSteps.ToJsonString().ShouldNotContain(token);
        var yaml = await File.ReadAllTextAsync(Path.Combine(_project, "weir.yaml"));
        yaml.ShouldContain($"- name: '{name}'\n  entrypoint: 'flows/my_flow.cs:example'\n  work_pool: {{ name: '{pool}' }}\n");
        yaml.ShouldNotContain(token);
        (await fixture.Client.GetPoolAsync(pool, CancellationToken.None)).ShouldNotBeNull();
    }

    /// <summary>Deploys the project's flow with a weir.yaml named <paramref name="name"/> whose lines from the second on are <paramref name="steps"/>, then one deployment of that name.</summary>
    private async Task<ProcessResult> DeployWithStepsAsync(string name, string steps)
    {
        await WriteFlowAsync();
        await ProjectFiles.WriteWeirYamlAsync(_project, $"""
            name: {name}
            {steps}
            deployments:
            - name: {name}
              entrypoint: flows/my_flow.cs:example
              work_pool: {"{"} name: itest {"}"}
            """);
        return await fixture.Cli.RunAsync(_project, "deploy");
    }

    private Task<ProcessResult> RunWithStdinAsync(string stdin, params string[] args) => fixture.Cli.RunAsync(_project, args, stdin);
}
