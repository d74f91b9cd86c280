namespace Weir.IntegrationTests;

/// <summary>
/// <c>weir register</c> with storage declared in the flow file (seeds 000/001), through the real server
/// and a real worker: the seed's output shape, versions, and what <c>StoredAsScript</c> means for edits.
/// </summary>
[Collection(ServerAndWorkerCollection.Name)]
public sealed class RegisterTests(ServerAndWorkerFixture fixture) : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("weir-itest-register-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private static string Flow(string printed, bool storedAsScript, string extra = "") => ExampleFlow.Source(
        printed, member: $"public static readonly FlowStorage Storage = new LocalStorage() {{ StoredAsScript = {(storedAsScript ? "true" : "false")} }};", count: "limit", extra: extra);

    private async Task WriteFlowAsync(string source)
    {
        await ProjectFiles.WriteFlowAsync(_project, "my_flow.cs", source);
    }

    private async Task<ProcessResult> RegisterAsync(string project)
    {
        var result = await fixture.Cli.RunAsync(_project, "register", "-p", "flows/my_flow.cs", "--project", project, "--pool", ServerAndWorkerFixture.Pool);
        result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
        return result;
    }

    private async Task<string> RunAsync(string project)
    {
        var run = await fixture.Cli.RunAsync(_project, "deployment", "run", $"example/{project}", "--watch");
        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr + fixture.WorkerLog);
        return run.Stdout;
    }

    [Fact]
    public async Task Register_PrintsTheSeedsShape_LineByLine()
    {
        await WriteFlowAsync(Flow("first", storedAsScript: true));

        var (_, stdout, _) = await RegisterAsync("reg-shape");

        var deployment = (await fixture.Client.GetDeploymentAsync("example", "reg-shape", CancellationToken.None)).ShouldNotBeNull();
        stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').ShouldBe(
        [
            "Collecting flows...",
            "Processing 'flows/my_flow.cs':",
            "  Building `Local` storage...",
            "  Registering 'example'... Done",
            $"  └── ID: {deployment.Id}",
            "  └── Version: 1",
            "======================== 1 registered ========================",
        ]);
        deployment.Entrypoint.ShouldBe("my_flow.cs:example"); // LocalStorage() runs from the flow file's folder
        deployment.WorkPool.ShouldBe(ServerAndWorkerFixture.Pool);
        deployment.BuildId.ShouldBeNull();
    }

    [Fact]
    public async Task ReRegister_KeepsTheVersionWhenUnchanged_AndBumpsItWhenTheStructureChanges()
    {
        await WriteFlowAsync(Flow("first", storedAsScript: true));
        (await RegisterAsync("reg-version")).Stdout.ShouldContain("  └── Version: 1\n");

        (await RegisterAsync("reg-version")).Stdout.ShouldContain("  └── Version: 1\n");

        await WriteFlowAsync(Flow("task body edit", storedAsScript: true));
        (await RegisterAsync("reg-version")).Stdout.ShouldContain("  └── Version: 1\n");

        await WriteFlowAsync(Flow("first", storedAsScript: true, extra: "\n        Extra();"));
        (await RegisterAsync("reg-version")).Stdout.ShouldContain("  └── Version: 2\n");
    }

    [Fact]
    public async Task StoredAsScript_True_TheNextRunPicksUpASourceEdit()
    {
        await WriteFlowAsync(Flow("first", storedAsScript: true));
        await RegisterAsync("reg-script");
        (await RunAsync("reg-script")).ShouldContain("Task run 'PrintData-0' - first: 1, 2, 3, 4, 5");

        await WriteFlowAsync(Flow("second", storedAsScript: true));

        (await RunAsync("reg-script")).ShouldContain("Task run 'PrintData-0' - second: 1, 2, 3, 4, 5");
    }

    [Fact]
    public async Task StoredAsScript_False_RunsTheRegisteredBuild_AndIgnoresLaterSourceEdits()
    {
        await WriteFlowAsync(Flow("first", storedAsScript: false));
        await RegisterAsync("reg-build");
        var deployment = (await fixture.Client.GetDeploymentAsync("example", "reg-build", CancellationToken.None)).ShouldNotBeNull();
        deployment.BuildId.ShouldNotBeNull();
        (await RunAsync("reg-build")).ShouldContain("Task run 'PrintData-0' - first: 1, 2, 3, 4, 5");

        await WriteFlowAsync(Flow("second", storedAsScript: false));
        var after = await RunAsync("reg-build");

        after.ShouldContain("Task run 'PrintData-0' - first: 1, 2, 3, 4, 5");
        after.ShouldNotContain("second:");
        var run = (await fixture.Client.ListRunsAsync(50, CancellationToken.None)).First(r => r.DeploymentName == "example/reg-build");
        run.ContentHash.ShouldBe(deployment.BuildId);
    }

    private static string WithStorage(string storage) => Flow("first", storedAsScript: true)
        .Replace("new LocalStorage() { StoredAsScript = true }", storage, StringComparison.Ordinal);

    [Fact]
    public async Task Register_AMissingBlock_IsNamedAtTheFlowFileAndItsStorageDeclaration_NotAtAFileRegistrationWrote()
    {
        await WriteFlowAsync(WithStorage("new S3Storage(\"flow-bucket\") { CredentialsBlock = \"no-such-creds\" }"));

        var result = await fixture.Cli.RunAsync(_project, "register", "-p", "flows/my_flow.cs", "--project", "reg-missing-block");

        result.ExitCode.ShouldBe(1);
        result.Stdout.ShouldContain("  Registering 'example'... Error\n");
        result.Stdout.ShouldContain("flows/my_flow.cs:4 (S3Storage MyFlow.Storage) (push step 1 'push_to_s3' (id 'push_code'), 'credentials') refers to the aws-credentials block 'no-such-creds', which the server at");
        result.Stdout.ShouldContain("create it with: weir block create aws-credentials no-such-creds");
        (result.Stdout + result.Stderr).ShouldNotContain("weir.yaml");
        (result.Stdout + result.Stderr).ShouldNotContain("weir-register-");
    }

    [Theory]
    [InlineData("new GitHubStorage(\"org/repo\", \"flows/other.cs\")", "has Path 'flows/other.cs', but the file being registered is 'flows/my_flow.cs'")]
    [InlineData("new S3Storage(\"flow-bucket\", key: \"team/etl.cs\")", "has Key 'team/etl.cs', but the file being registered is 'flows/my_flow.cs'; the key is that file's path in the bucket, so it must end in 'my_flow.cs'")]
    [InlineData("new AzureStorage(\"flows\") { LocalScriptPath = \"flows/elsewhere.cs\" }", "uploads LocalScriptPath 'flows/elsewhere.cs', but the file being registered is 'flows/my_flow.cs'")]
    [InlineData("new DockerStorage(\"flows/etl.cs\", new Dictionary<string, string> { [\"flows/my_flow.cs\"] = \"flows/my_flow.cs\" })", "copies the file being registered ('flows/my_flow.cs') to 'flows/my_flow.cs', but its Path is 'flows/etl.cs'")]
    public async Task Register_AStoragePathThatIsNotTheFileBeingRegistered_IsAnErrorNamingBothPaths(string storage, string message)
    {
        await WriteFlowAsync(WithStorage(storage));

        var result = await fixture.Cli.RunAsync(_project, "register", "-p", "flows/my_flow.cs", "--project", "reg-path");

        result.ExitCode.ShouldBe(1, result.Stdout + result.Stderr);
        result.Stdout.ShouldContain("flows/my_flow.cs:4 (");
        result.Stdout.ShouldContain(message);
        result.Stdout.ShouldEndWith("================== 0 registered, 1 errored ===================\n");
    }

    [Fact]
    public async Task Register_AFileWithoutStorage_SaysWhatToAdd()
    {
        await WriteFlowAsync(Flow("first", storedAsScript: true).Replace("public static readonly FlowStorage Storage = new LocalStorage() { StoredAsScript = true };", string.Empty, StringComparison.Ordinal));

        var result = await fixture.Cli.RunAsync(_project, "register", "-p", "flows/my_flow.cs", "--project", "reg-none");

        result.ExitCode.ShouldBe(1);
        result.Stdout.ShouldContain("flows/my_flow.cs declares no storage for flow 'example'; add one to class MyFlow, for example: public static readonly FlowStorage Storage = new LocalStorage();");
        result.Stdout.ShouldEndWith("================== 0 registered, 1 errored ===================\n");
    }
}
