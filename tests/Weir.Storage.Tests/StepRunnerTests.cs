using Weir.Storage.Config;
using Weir.Storage.Steps;
using Weir.Storage.Templating;

namespace Weir.Storage.Tests;

public sealed class StepRunnerTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("weir-steps-").FullName;
    private readonly List<string> _printed = [];

    private StepContext Context() => new(_work, Path.Combine(_work, ".cache")) { Output = _printed.Add };

    private static IReadOnlyList<StepDefinition> Steps(string yaml) =>
        StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull");

    /// <summary>Runs the steps of <paramref name="yaml"/> with no template values; the failure they must end in.</summary>
    private Task<StepFailedException> FailureAsync(string yaml) =>
        Should.ThrowAsync<StepFailedException>(() => RunAsync(Steps(yaml), Context(), new TemplateScope()));

    private static Task RunAsync(IReadOnlyList<StepDefinition> steps, StepContext context, TemplateScope scope) =>
        new StepRunner(StepRegistry.CreateDefault()).RunAsync(steps, context, scope, CancellationToken.None);

    [Fact]
    public async Task RunShellScript_RunsEachLineAndLaterStepsUseItsOutputs()
    {
        var scope = new TemplateScope();
        await RunAsync(Steps("""
            - run_shell_script:
                id: first
                script: |
                  echo one
                  echo "two words"   # a comment
                  printf '%s-%s' "$NOT_EXPANDED" b
            - run_shell_script:
                id: second
                env: { GOT: 'got {{ first.stdout }}' }
                script: printenv GOT
            """), Context(), scope);

        scope.StepOutputs["first"]["stdout"].ShouldBe("one\ntwo words\n$NOT_EXPANDED-b");
        scope.StepOutputs["second"]["stdout"].ShouldBe("got one\ntwo words\n$NOT_EXPANDED-b");
        _printed.ShouldContain("two words");
    }

    [Fact]
    public async Task RunShellScript_EnvAndExpandEnvVars()
    {
        var scope = new TemplateScope();
        await RunAsync(Steps("""
            - run_shell_script:
                id: s
                env: { GREETING: hello, COUNT: 2 }
                expand_env_vars: true
                stream_output: false
                script: |
                  echo $GREETING ${COUNT} $UNKNOWN_THING_XYZ
                  printenv GREETING
            """), Context(), scope);

        scope.StepOutputs["s"]["stdout"].ShouldBe("hello 2 $UNKNOWN_THING_XYZ\nhello");
        _printed.ShouldNotContain("hello");
    }

    [Fact]
    public async Task RunShellScript_NonZeroExit_FailsNamingStepLocationAndLine()
    {
        var error = await FailureAsync("""
            - run_shell_script:
                script: |
                  true
                  ls /definitely/not/here
                  echo never
            """);

        error.Message.ShouldStartWith("pull step 1 'run_shell_script' at weir.yaml:1:3 failed: line 2 of the script `ls /definitely/not/here` exited with code 2: ");
        error.Message.ShouldContain("/definitely/not/here");
        _printed.ShouldNotContain("never");
    }

    [Fact]
    public async Task RunShellScript_UnknownCommand_SaysItCannotStartIt()
    {
        var error = await FailureAsync("- run_shell_script:\n    script: no-such-command-weir --x");
        error.Message.ShouldContain("line 1 of the script `no-such-command-weir --x`: cannot start 'no-such-command-weir'");
    }

    [Fact]
    public async Task SetWorkingDirectory_MovesTheContextAndMissingFolderIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(_work, "flows"));
        var context = Context();
        var scope = new TemplateScope();
        await RunAsync(Steps("- set_working_directory:\n    id: wd\n    directory: flows\n- run_shell_script:\n    id: pwd\n    script: pwd"), context, scope);

        context.WorkingDirectory.ShouldBe(Path.Combine(_work, "flows"));
        scope.StepOutputs["pwd"]["stdout"].ShouldBe(Path.Combine(_work, "flows"));

        var error = await FailureAsync("- set_working_directory:\n    directory: /nope/x");
        error.Message.ShouldBe("pull step 1 'set_working_directory' at weir.yaml:1:3 failed: the directory '/nope/x' does not exist on this worker.");
    }

    [Fact]
    public async Task Run_UnknownStepName_FailsBeforeAnyStepRunsAndListsKnownSteps()
    {
        var error = await FailureAsync("- run_shell_script:\n    script: touch ran.txt\n- git_clon:\n    repository: x");

        error.Message.ShouldBe("pull step 2 'git_clon' at weir.yaml:3:3: there is no step named 'git_clon'. Known steps: build_docker_image, git_clone, pull_from_azure_blob_storage, pull_from_gcs, pull_from_s3, push_docker_image, push_to_azure_blob_storage, push_to_gcs, push_to_s3, run_shell_script, set_working_directory.");
        File.Exists(Path.Combine(_work, "ran.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task Run_QualifiedNamesAndUnknownArguments()
    {
        var scope = new TemplateScope();
        await RunAsync(Steps("- weir.deployments.steps.run_shell_script:\n    id: q\n    requires: ignored\n    script: echo ok"), Context(), scope);
        scope.StepOutputs["q"]["stdout"].ShouldBe("ok");

        var error = await FailureAsync("- run_shell_script:\n    script: echo\n    scirpt: x");
        error.Message.ShouldBe("pull step 1 'run_shell_script' at weir.yaml:1:3 failed: unknown argument 'scirpt'; 'run_shell_script' takes: script, directory, env, expand_env_vars, stream_output.");
    }

    [Fact]
    public async Task Run_TemplateErrorInAStep_NamesReferenceAndLine()
    {
        var error = await FailureAsync("- run_shell_script:\n    script: 'echo {{ nothing.here }}'");
        error.Message.ShouldBe("Unknown reference '{{ nothing.here }}' at weir.yaml:2:13 (pull step 1 'run_shell_script' at weir.yaml:1:3, 'script'): no earlier step has the id 'nothing' (no step so far has an id).");
    }

    private sealed class NoReferences : IReferenceResolver
    {
        public ValueTask<BlockValue?> GetBlockAsync(string blockType, string blockName, CancellationToken cancellationToken) => ValueTask.FromResult<BlockValue?>(null);

        public ValueTask<(bool Found, object? Value)> GetVariableAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult((false, (object?)null));
    }

    [Fact]
    public async Task Run_MissingBlockInAStoredDeploymentsSteps_NamesItsPlaceOnce()
    {
        var stored = StepDefinition.FromJson(StepDefinition.ToJson(Steps("- git_clone:\n    repository: https://example.invalid/r.git\n    access_token: '{{ weir.blocks.secret.gone }}'")), "deployment 'f/d'", "pull");

        var error = await Should.ThrowAsync<StepFailedException>(() => RunAsync(stored, Context(), new TemplateScope { References = new NoReferences(), Environment = null }));

        error.Message.ShouldBe("Unknown reference '{{ weir.blocks.secret.gone }}' at deployment 'f/d' (pull step 1 'git_clone', 'access_token'): there is no secret block named 'gone'; create it with: weir block create secret gone");
    }

    [Fact]
    public async Task Run_SecretInAFailingCommand_IsRedactedFromTheError()
    {
        var scope = new TemplateScope();
        scope.Redactor.Add("hunter2-secret");
        scope.StepOutputs["s"] = new Dictionary<string, object?> { ["token"] = "hunter2-secret" };
        var error = await Should.ThrowAsync<StepFailedException>(() => RunAsync(Steps("- run_shell_script:\n    script: 'ls /nope/{{ s.token }}'"), Context(), scope));

        error.Message.ShouldNotContain("hunter2-secret");
        error.Message.ShouldContain("/nope/********");
    }

    [Fact]
    public void Steps_RoundTripThroughJson_KeepIdsAndArguments()
    {
        var steps = Steps("- git_clone:\n    id: clone\n    repository: https://example.invalid/r.git\n    depth: 1\n- set_working_directory:\n    directory: '{{ clone.directory }}'");
        var json = StepDefinition.ToJson(steps);
        json.ToJsonString().ShouldBe("""[{"git_clone":{"id":"clone","repository":"https://example.invalid/r.git","depth":1}},{"set_working_directory":{"directory":"{{ clone.directory }}"}}]""");

        var back = StepDefinition.FromJson(json, "deployment 'f/d'", "pull");
        back.Select(s => (s.Name, s.Id)).ShouldBe([("git_clone", "clone"), ("set_working_directory", (string?)null)]);
        back[1].Describe().ShouldBe("pull step 2 'set_working_directory' at deployment 'f/d', pull step 2");
        back[0].Arguments["depth"].ShouldBeOfType<ConfigScalar>().Value.ShouldBe(1L);
    }

    public void Dispose() => TempFolder.Delete(_work);
}
