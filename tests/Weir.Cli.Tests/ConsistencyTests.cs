using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Cli.Tests;

/// <summary>The CLI behaves alike everywhere: --json on every ls and inspect, readable inspect views, short usage errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConsistencyTests(ServerFixture server)
{
    private static readonly Dictionary<string, string> s_german = new() { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };

    [Fact]
    public async Task EveryLs_TakesJson()
    {
        await server.Store.PutPoolAsync("json-pool", "process", 3, null, CancellationToken.None);
        await server.Store.PutVariableAsync("json-variable", "plain value", CancellationToken.None);
        await server.Store.PutBlockAsync("secret", "json-secret", new JsonObject { ["value"] = "never-printed-5521" }, CancellationToken.None);
        await server.DeployAsync("json-ls");

        foreach (var (args, expected) in new (string[], string)[]
        {
            (["work-pool", "ls", "--json"], "json-pool"),
            (["variable", "ls", "--json"], "json-variable"),
            (["block", "ls", "--json"], "json-secret"),
            (["block", "types", "--json"], "github-credentials"),
            (["deployment", "ls", "--json"], "json-ls"),
            (["flow-run", "ls", "--json"], "["),
        })
        {
            var (exit, stdout, stderr) = await server.WeirAsync(args);
            exit.ShouldBe(0, string.Join(' ', args) + ": " + stderr);
            JsonNode.Parse(stdout).ShouldBeOfType<JsonArray>(string.Join(' ', args));
            stdout.ShouldContain(expected, customMessage: string.Join(' ', args));
            stdout.ShouldNotContain("never-printed-5521");
        }
    }

    [Fact]
    public async Task EveryInspect_IsReadableByDefault_AndJsonWithTheOption()
    {
        var deployment = await server.DeployAsync("inspected");
        var run = (await server.Store.CreateRunAsync(new NewFlowRun { Deployment = deployment }, CancellationToken.None))!;
        var task = Guid.CreateVersion7();
        var t = DateTimeOffset.UtcNow;
        await server.Store.ApplyBatchAsync(new EventBatch
        {
            FlowRunStates = [new RunStateEvent(run.Id, StateType.Running, null, t), new RunStateEvent(run.Id, StateType.Completed, null, t.AddSeconds(2))],
            TaskRuns = [new TaskRunDto { Id = task, FlowRunId = run.Id, TaskName = "GetData", TaskKey = "GetData-0", StateTime = t }],
            TaskRunStates = [new RunStateEvent(task, StateType.Running, null, t), new RunStateEvent(task, StateType.Completed, null, t.AddSeconds(1))],
        }, CancellationToken.None);
        await server.Store.PutBlockAsync("github-credentials", "inspected", new JsonObject { ["token"] = "never-printed-8812", ["username"] = "octo" }, CancellationToken.None);

        var runView = await server.WeirAsync(["flow-run", "inspect", run.ShortId]);
        runView.ExitCode.ShouldBe(0, runView.Stderr);
        runView.Stdout.ShouldStartWith($"Flow run {run.ShortId}  {run.Id}");
        runView.Stdout.ShouldContain("Deployment  example/inspected");
        runView.Stdout.ShouldContain("State       Completed");
        runView.Stdout.ShouldContain("(ran 2 s)");
        runView.Stdout.ShouldContain("State history");
        runView.Stdout.ShouldContain("GetData-0");
        var runJson = await server.WeirAsync(["flow-run", "inspect", run.ShortId, "--json"]);
        var parsed = JsonNode.Parse(runJson.Stdout)!;
        parsed["run"]!["id"]!.GetValue<Guid>().ShouldBe(run.Id);
        parsed["taskRuns"]!.AsArray().Count.ShouldBe(1);

        var deploymentView = await server.WeirAsync(["deployment", "inspect", "example/inspected"]);
        deploymentView.ExitCode.ShouldBe(0, deploymentView.Stderr);
        deploymentView.Stdout.ShouldStartWith("Deployment example/inspected  version 1");
        deploymentView.Stdout.ShouldContain("Entrypoint  flows/example.cs:example");
        deploymentView.Stdout.ShouldContain("Storage     local folder (/tmp)");
        deploymentView.Stdout.ShouldContain("Parameters  limit: int = 5");
        deploymentView.Stdout.ShouldContain("Tasks       GetData → PrintData");
        deploymentView.Stdout.ShouldContain("set_working_directory");
        JsonNode.Parse((await server.WeirAsync(["deployment", "inspect", "example/inspected", "--json"])).Stdout)!["entrypoint"]!.GetValue<string>().ShouldBe("flows/example.cs:example");

        var blockView = await server.WeirAsync(["block", "inspect", "github-credentials", "inspected"]);
        blockView.ExitCode.ShouldBe(0, blockView.Stderr);
        blockView.Stdout.ShouldContain("github-credentials block inspected");
        blockView.Stdout.ShouldContain("username  octo");
        blockView.Stdout.ShouldContain("token     ******** (secret)");
        var blockJson = await server.WeirAsync(["block", "inspect", "github-credentials", "inspected", "--json"]);
        JsonNode.Parse(blockJson.Stdout)!["fields"]!["username"]!.GetValue<string>().ShouldBe("octo");
        (blockView.Stdout + blockJson.Stdout).ShouldNotContain("never-printed-8812");
    }

    [Fact]
    public async Task AUsageError_IsOneLineAndTheCommandsUsage_Exit2_InEnglishWhateverTheLanguage()
    {
        var missing = await server.WeirAsync(["flow-run", "logs"], environment: s_german);
        missing.ExitCode.ShouldBe(2);
        missing.Stdout.ShouldBeEmpty();
        missing.Stderr.Trim().Split('\n').ShouldBe(
        [
            "error: Required argument missing for command: 'logs'.",
            "Usage: weir flow-run logs <flow-run> [options]   (see weir flow-run logs --help)",
        ]);

        var typo = await server.WeirAsync(["flow-run", "lgs"]);
        typo.ExitCode.ShouldBe(2);
        typo.Stderr.ShouldStartWith("error: Unrecognized command or argument 'lgs'. Did you mean 'logs'?\nUsage: weir flow-run <command> [options]");
        typo.Stderr.ShouldNotContain("Description:");

        var option = await server.WeirAsync(["work-pool", "ls", "--jsn"]);
        option.ExitCode.ShouldBe(2);
        option.Stderr.ShouldStartWith("error: Unrecognized command or argument '--jsn'.\nUsage: weir work-pool ls [options]");
    }

    [Fact]
    public async Task Help_SaysWeir()
    {
        var (exit, stdout, _) = await server.WeirAsync(["flow-run", "--help"]);

        exit.ShouldBe(0);
        stdout.ShouldContain("weir flow-run [command] [options]");
        stdout.ShouldNotContain("Weir.Cli");
    }

    [Fact]
    public async Task MalformedJsonParameters_NameWhereTheErrorIs()
    {
        await server.DeployAsync("json-params");

        var param = await server.WeirAsync(["deployment", "run", "example/json-params", "--param", "ids=[1,2"]);
        param.ExitCode.ShouldBe(2);
        param.Stderr.Trim().ShouldBe("error: --param ids is not valid JSON at character 5: it ends before the value is complete (is a closing ] or } missing?).");

        var json = await server.WeirAsync(["deployment", "run", "example/json-params", "--params-json", """{"limit": 3,, "x": 1}"""]);
        json.ExitCode.ShouldBe(2);
        json.Stderr.Trim().ShouldBe("error: --params-json is not valid JSON at character 13: ',' is an invalid start of a property name. Expected a '\"'.");

        var local = await new WeirCli(server.Home).RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example", "--param", "limit=[1,2");
        local.ExitCode.ShouldBe(2);
        local.Stderr.ShouldContain("error: Parameter 'limit' of flow 'example' expects int; '[1,2' is not valid JSON at character 5: it ends before the value is complete");

        var localJson = await new WeirCli(server.Home).RunAsync(Repo.Root, "run", "examples/flows/my_flow.cs:example", "--params-json", "{\"limit\":\n  [1,}");
        localJson.ExitCode.ShouldBe(2);
        localJson.Stderr.ShouldContain("error: --params-json is not valid JSON at line 2, character 6: '}' is an invalid start of a value.");
        (await server.Store.ListRunsAsync(new FlowRunFilter { Deployment = "example/json-params" }, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task BlockCreate_AsksForSecretFieldsByName_FromStandardInputOrAFile_NeverFromArguments()
    {
        var piped = await server.WeirAsync(["block", "create", "github-credentials", "piped", "--field", "username=octo", "--secret-stdin", "token"], input: "ghp_from_stdin_4242\n");
        piped.ExitCode.ShouldBe(0, piped.Stderr);
        piped.Stdout.ShouldContain("refer to it as {{ weir.blocks.github-credentials.piped }}");
        var stored = (await server.Store.GetBlockAsync("github-credentials", "piped", reveal: true, CancellationToken.None))!;
        stored.Fields["token"]!.GetValue<string>().ShouldBe("ghp_from_stdin_4242");
        stored.Fields["username"]!.GetValue<string>().ShouldBe("octo");

        var key = Path.Combine(server.Home, "id_test");
        await File.WriteAllTextAsync(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
        var filed = await server.WeirAsync(["block", "create", "ssh-key", "filed", "--secret-file", $"private_key={key}", "--secret-stdin", "passphrase"], input: "pass-7");
        filed.ExitCode.ShouldBe(0, filed.Stderr);
        var ssh = (await server.Store.GetBlockAsync("ssh-key", "filed", reveal: true, CancellationToken.None))!;
        ssh.Fields["private_key"]!.GetValue<string>().ShouldBe(await File.ReadAllTextAsync(key));
        ssh.Fields["passphrase"]!.GetValue<string>().ShouldBe("pass-7");

        // Without a terminal, a secret field nobody named is left out, and the command says which.
        var partial = await server.WeirAsync(["block", "create", "bitbucket-credentials", "partial", "--field", "username=bob", "--secret-stdin", "password"], input: "app-password");
        partial.ExitCode.ShouldBe(0, partial.Stderr);
        partial.Stderr.ShouldContain("Left out the secret field token: there is no terminal to ask in. Give one with --secret-stdin FIELD or --secret-file FIELD=PATH.");

        var onArgv = await server.WeirAsync(["block", "create", "github-credentials", "argv", "--field", "token=ghp_on_the_command_line"]);
        onArgv.ExitCode.ShouldBe(2);
        onArgv.Stderr.ShouldContain("'token' is a secret field; it is never taken from the command line.");
        var notSecret = await server.WeirAsync(["block", "create", "github-credentials", "argv", "--secret-stdin", "username"], input: "x");
        notSecret.ExitCode.ShouldBe(2);
        notSecret.Stderr.ShouldContain("'username' is not a secret field of github-credentials; give it with --field username=VALUE.");
        (await server.Store.GetBlockAsync("github-credentials", "argv", reveal: false, CancellationToken.None)).ShouldBeNull();
    }
}
