using Weir.Storage.Config;
using Weir.Storage.Templating;

namespace Weir.Storage.Tests;

public sealed class TemplatingTests
{
    private sealed class FakeReferences : IReferenceResolver
    {
        public ValueTask<BlockValue?> GetBlockAsync(string blockType, string blockName, CancellationToken cancellationToken) =>
            ValueTask.FromResult<BlockValue?>((blockType, blockName) switch
            {
                ("secret", "repo-token") => new BlockValue("secret", "repo-token", new Dictionary<string, object?> { ["value"] = "tok-123456" }, new HashSet<string> { "value" }),
                ("aws-credentials", "my-creds") => new BlockValue("aws-credentials", "my-creds",
                    new Dictionary<string, object?> { ["aws_access_key_id"] = "AKIA1", ["aws_secret_access_key"] = "s3cr3t-key", ["region_name"] = "eu-west-1" },
                    new HashSet<string> { "aws_secret_access_key" }),
                _ => null,
            });

        public ValueTask<(bool Found, object? Value)> GetVariableAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == "bucket" ? (true, (object?)"vars-bucket") : (false, null));
    }

    private static ConfigMap Yaml(string yaml) => (ConfigMap)YamlConfigReader.Read(yaml, "weir.yaml");

    private static async Task<Dictionary<string, object?>> ResolveAsync(string yaml, TemplateScope scope) =>
        (Dictionary<string, object?>)(await TemplateResolver.ResolveAsync(Yaml(yaml), scope, "pull step 1 'x'", CancellationToken.None)).ToPlain()!;

    private static TemplateScope ScopeWithOutputs(IReferenceResolver? references = null, Func<string, string?>? env = null)
    {
        var scope = new TemplateScope { References = references, Environment = env ?? (_ => null) };
        scope.StepOutputs["push_code"] = new Dictionary<string, object?> { ["bucket"] = "my-bucket", ["count"] = 3L, ["tags"] = new List<object?> { "a", "b" } };
        return scope;
    }

    [Fact]
    public async Task Resolve_WholeValuePlaceholder_KeepsTheType()
    {
        var values = await ResolveAsync("n: '{{ push_code.count }}'\nlist: '{{ push_code.tags }}'\nall: '{{ push_code }}'", ScopeWithOutputs());

        values["n"].ShouldBe(3L);
        values["list"].ShouldBe(new List<object?> { "a", "b" });
        values["all"].ShouldBeAssignableTo<IDictionary<string, object?>>()!["bucket"].ShouldBe("my-bucket");
    }

    [Fact]
    public async Task Resolve_InlinePlaceholders_BecomeText()
    {
        var values = await ResolveAsync("path: 's3://{{ push_code.bucket }}/{{push_code.count}}/x'\nlist: 'tags={{ push_code.tags }}'", ScopeWithOutputs());

        values["path"].ShouldBe("s3://my-bucket/3/x");
        values["list"].ShouldBe("tags=[\"a\",\"b\"]");
    }

    [Fact]
    public async Task Resolve_EnvironmentVariable_AndMissingOneNamesIt()
    {
        var values = await ResolveAsync("folder: '{{ $CUSTOM_FOLDER }}'", ScopeWithOutputs(env: n => n == "CUSTOM_FOLDER" ? "nightly" : null));
        values["folder"].ShouldBe("nightly");

        var error = await Should.ThrowAsync<TemplateException>(() => ResolveAsync("a: 1\nfolder: 'x/{{ $NOPE }}'", ScopeWithOutputs()));
        error.Message.ShouldBe("Unknown reference '{{ $NOPE }}' at weir.yaml:2:9 (pull step 1 'x', 'folder'): the environment variable NOPE is not set.");
    }

    [Fact]
    public async Task Resolve_UnknownStepId_NamesTheReferenceFileLineAndKnownIds()
    {
        var error = await Should.ThrowAsync<TemplateException>(() => ResolveAsync("bucket: a\nnested:\n  deep: '{{ push_cod.bucket }}'", ScopeWithOutputs()));

        error.Message.ShouldBe("Unknown reference '{{ push_cod.bucket }}' at weir.yaml:3:9 (pull step 1 'x', 'nested', 'deep'): no earlier step has the id 'push_cod'; step ids so far: push_code.");
        error.Location.Line.ShouldBe(3);
    }

    [Fact]
    public async Task Resolve_UnknownOutput_ListsTheOutputsTheStepHas()
    {
        var error = await Should.ThrowAsync<TemplateException>(() => ResolveAsync("b: '{{ push_code.buckt }}'", ScopeWithOutputs()));
        error.Message.ShouldEndWith("step 'push_code' has no 'buckt'; it has: bucket, count, tags.");
    }

    [Fact]
    public async Task Resolve_AtDeployTime_LeavesBlocksVariablesAndLaterStepsAsWritten()
    {
        var scope = ScopeWithOutputs();
        scope.DeferredStepIds.Add("clone");
        var values = await ResolveAsync(
            "creds: '{{ weir.blocks.aws-credentials.my-creds }}'\nv: '{{ weir.variables.bucket }}'\ndir: '{{ clone.directory }}/flows'\nb: '{{ push_code.bucket }}'",
            scope);

        values["creds"].ShouldBe("{{ weir.blocks.aws-credentials.my-creds }}");
        values["v"].ShouldBe("{{ weir.variables.bucket }}");
        values["dir"].ShouldBe("{{ clone.directory }}/flows");
        values["b"].ShouldBe("my-bucket");
    }

    [Fact]
    public async Task Resolve_AtRunTime_ResolvesBlocksAndVariablesAndLearnsSecrets()
    {
        var scope = ScopeWithOutputs(new FakeReferences());
        var values = await ResolveAsync(
            "token: '{{ weir.blocks.secret.repo-token }}'\ncreds: '{{ weir.blocks.aws-credentials.my-creds }}'\nregion: '{{ weir.blocks.aws-credentials.my-creds.region_name }}'\nbucket: '{{ weir.variables.bucket }}'",
            scope);

        values["token"].ShouldBe("tok-123456");
        var creds = values["creds"].ShouldBeAssignableTo<IDictionary<string, object?>>()!;
        creds["aws_secret_access_key"].ShouldBe("s3cr3t-key");
        creds["_block_type"].ShouldBe("aws-credentials");
        values["region"].ShouldBe("eu-west-1");
        values["bucket"].ShouldBe("vars-bucket");
        scope.Redactor.Redact("token tok-123456 and s3cr3t-key, key id AKIA1").ShouldBe("token ******** and ********, key id AKIA1");
    }

    [Fact]
    public async Task Resolve_MissingBlockOrVariableOrField_SaysHowToCreateIt()
    {
        var scope = ScopeWithOutputs(new FakeReferences());
        (await Should.ThrowAsync<TemplateException>(() => ResolveAsync("t: '{{ weir.blocks.secret.nope }}'", scope)))
            .Message.ShouldBe("Unknown reference '{{ weir.blocks.secret.nope }}' at weir.yaml:1:4 (pull step 1 'x', 't'): there is no secret block named 'nope'; create it with: weir block create secret nope");
        (await Should.ThrowAsync<TemplateException>(() => ResolveAsync("t: '{{ weir.variables.nope }}'", scope)))
            .Message.ShouldEndWith("there is no variable named 'nope'; create it with: weir variable set nope VALUE");
        (await Should.ThrowAsync<TemplateException>(() => ResolveAsync("t: '{{ weir.blocks.aws-credentials.my-creds.password }}'", scope)))
            .Message.ShouldEndWith("the aws-credentials block 'my-creds' has no 'password'; it has: aws_access_key_id, aws_secret_access_key, region_name.");
        (await Should.ThrowAsync<TemplateException>(() => ResolveAsync("t: '{{ prefect.blocks.secret.x }}'", scope)))
            .Message.ShouldEndWith("Weir's references start with 'weir.', not 'prefect.': write {{ weir.blocks.secret.x }}.");
    }

    [Fact]
    public async Task Resolve_ValuesWithoutPlaceholders_AreUntouchedAndTyped()
    {
        var values = await ResolveAsync("a: 3\nb: '3'\nc: true\nd: null\ne: 1.5\nf: plain", ScopeWithOutputs());

        values["a"].ShouldBe(3L);
        values["b"].ShouldBe("3");
        values["c"].ShouldBe(true);
        values["d"].ShouldBeNull();
        values["e"].ShouldBe(1.5);
        values["f"].ShouldBe("plain");
    }
}
