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
                ("cluster", "prod") => new BlockValue("cluster", "prod",
                    new Dictionary<string, object?>
                    {
                        ["hosts"] = new List<object?> { "h1.example.com", "h2.example.com" },
                        ["tls"] = new Dictionary<string, object?> { ["ports"] = new List<object?> { 443L, 8443L } },
                        ["password"] = "cluster-pass-1",
                    },
                    new HashSet<string> { "password" }),
                _ => null,
            });

        public ValueTask<(bool Found, object? Value)> GetVariableAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == "bucket" ? (true, (object?)"vars-bucket") : (false, null));
    }

    private static ConfigMap Yaml(string yaml) => (ConfigMap)YamlConfigReader.Read(yaml, "weir.yaml");

    private static async Task<Dictionary<string, object?>> ResolveAsync(string yaml, TemplateScope scope) =>
        (Dictionary<string, object?>)(await TemplateResolver.ResolveAsync(Yaml(yaml), scope, "pull step 1 'x'", CancellationToken.None)).ToPlain()!;

    /// <summary>Resolving <paramref name="yaml"/> in <paramref name="scope"/>, which must fail; the failure.</summary>
    private static Task<TemplateException> ErrorAsync(string yaml, TemplateScope scope) =>
        Should.ThrowAsync<TemplateException>(() => ResolveAsync(yaml, scope));

    private static TemplateScope ScopeWithOutputs(IReferenceResolver? references = null, Func<string, string?>? env = null)
    {
        var scope = new TemplateScope { References = references, Environment = env ?? (_ => null) };
        scope.StepOutputs["push_code"] = new Dictionary<string, object?> { ["bucket"] = "my-bucket", ["count"] = 3L, ["tags"] = new List<object?> { "a", "b" } };
        return scope;
    }

    private static TemplateScope ScopeWithItems()
    {
        var scope = ScopeWithOutputs();
        scope.StepOutputs["clone"] = new Dictionary<string, object?>
        {
            ["items"] = new List<object?>
            {
                new Dictionary<string, object?> { ["name"] = "first", ["size"] = 1L },
                new Dictionary<string, object?> { ["name"] = "second", ["size"] = 2L },
            },
        };
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

        var error = await ErrorAsync("a: 1\nfolder: 'x/{{ $NOPE }}'", ScopeWithOutputs());
        error.Message.ShouldBe("Unknown reference '{{ $NOPE }}' at weir.yaml:2:9 (pull step 1 'x', 'folder'): the environment variable NOPE is not set.");
    }

    [Fact]
    public async Task Resolve_UnknownStepId_NamesTheReferenceFileLineAndKnownIds()
    {
        var error = await ErrorAsync("bucket: a\nnested:\n  deep: '{{ push_cod.bucket }}'", ScopeWithOutputs());

        error.Message.ShouldBe("Unknown reference '{{ push_cod.bucket }}' at weir.yaml:3:9 (pull step 1 'x', 'nested', 'deep'): no earlier step has the id 'push_cod'; step ids so far: push_code.");
        error.Location.Line.ShouldBe(3);
    }

    [Fact]
    public async Task Resolve_UnknownOutput_ListsTheOutputsTheStepHas()
    {
        var error = await ErrorAsync("b: '{{ push_code.buckt }}'", ScopeWithOutputs());
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
        (await ErrorAsync("t: '{{ weir.blocks.secret.nope }}'", scope))
            .Message.ShouldBe("Unknown reference '{{ weir.blocks.secret.nope }}' at weir.yaml:1:4 (pull step 1 'x', 't'): there is no secret block named 'nope'; create it with: weir block create secret nope");
        (await ErrorAsync("t: '{{ weir.variables.nope }}'", scope))
            .Message.ShouldEndWith("there is no variable named 'nope'; create it with: weir variable set nope VALUE");
        (await ErrorAsync("t: '{{ weir.blocks.aws-credentials.my-creds.password }}'", scope))
            .Message.ShouldEndWith("the aws-credentials block 'my-creds' has no 'password'; it has: aws_access_key_id, aws_secret_access_key, region_name.");
        (await ErrorAsync("t: '{{ prefect.blocks.secret.x }}'", scope))
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

    [Fact]
    public async Task Resolve_ListIndexes_PickItemsOfStepOutputs()
    {
        var values = await ResolveAsync(
            "name: '{{ clone.items[0].name }}'\nsize: '{{ clone.items[1].size }}'\ntag: 'tag-{{ push_code.tags[1] }}'\nitem: '{{ clone.items[1] }}'",
            ScopeWithItems());

        values["name"].ShouldBe("first");
        values["size"].ShouldBe(2L);
        values["tag"].ShouldBe("tag-b");
        values["item"].ShouldBeAssignableTo<IDictionary<string, object?>>()!["name"].ShouldBe("second");
    }

    [Fact]
    public async Task Resolve_BlockFieldPathWithIndexes_PicksTheItem()
    {
        var values = await ResolveAsync(
            "host: '{{ weir.blocks.cluster.prod.hosts[1] }}'\nport: '{{ weir.blocks.cluster.prod.tls.ports[0] }}'\nurl: 'https://{{ weir.blocks.cluster.prod.hosts[0] }}:{{ weir.blocks.cluster.prod.tls.ports[1] }}/'",
            ScopeWithOutputs(new FakeReferences()));

        values["host"].ShouldBe("h2.example.com");
        values["port"].ShouldBe(443L);
        values["url"].ShouldBe("https://h1.example.com:8443/");
    }

    [Fact]
    public async Task Resolve_IndexPastTheEnd_OrIntoAMap_SaysWhatIsThere()
    {
        (await ErrorAsync("a: '{{ clone.items[2].name }}'", ScopeWithItems()))
            .Message.ShouldBe("Unknown reference '{{ clone.items[2].name }}' at weir.yaml:1:4 (pull step 1 'x', 'a'): 'items' of step 'clone' has 2 items, so [2] is past the end (the first is [0]).");
        (await ErrorAsync("a: '{{ push_code.bucket[0] }}'", ScopeWithOutputs()))
            .Message.ShouldEndWith("'bucket' of step 'push_code' is not a list, so [0] picks nothing; refer to it as {{ push_code.bucket }}.");
        (await ErrorAsync("a: '{{ clone.items[0].nme }}'", ScopeWithItems()))
            .Message.ShouldEndWith("'items[0]' of step 'clone' has no 'nme'; it has: name, size.");
        (await ErrorAsync("a: '{{ clone.items[x] }}'", ScopeWithItems()))
            .Message.ShouldEndWith("'items[x]' is not a field or a list item: write a path with dots and numeric indexes, such as {{ step_id.list[0].field }}.");
    }

    [Fact]
    public async Task Resolve_TextThatIsNotAReference_StaysLiteral()
    {
        var values = await ResolveAsync(
            """
            inspect: docker inspect -f '{{ json .State }}' web
            mounts: "{{ range .Mounts }}{{ .Source }}{{ end }}"
            trim: '{{- .Name -}}'
            jinja: '{{ name | upper }}'
            word: '{{ end }}'
            mixed: "{{ push_code.bucket }}: {{ .Status }}"
            empty-braces: 'echo {{'
            """,
            ScopeWithOutputs());

        values["inspect"].ShouldBe("docker inspect -f '{{ json .State }}' web");
        values["mounts"].ShouldBe("{{ range .Mounts }}{{ .Source }}{{ end }}");
        values["trim"].ShouldBe("{{- .Name -}}");
        values["jinja"].ShouldBe("{{ name | upper }}");
        values["word"].ShouldBe("{{ end }}");
        values["mixed"].ShouldBe("my-bucket: {{ .Status }}");
        values["empty-braces"].ShouldBe("echo {{");
    }

    [Fact]
    public async Task Resolve_ReferenceShapedTextInAShellStep_IsStillChecked()
    {
        (await ErrorAsync("a: 1\nscript: echo {{ push_cod.bucket }} and {{ json .State }}", ScopeWithOutputs()))
            .Message.ShouldStartWith("Unknown reference '{{ push_cod.bucket }}' at weir.yaml:2:9 (pull step 1 'x', 'script'): no earlier step has the id 'push_cod'");
        (await ErrorAsync("a: 'x {{ push_code.bucket'", ScopeWithOutputs()))
            .Message.ShouldBe("Unknown reference '{{ push_code.bucket }}' at weir.yaml:1:4 (pull step 1 'x', 'a'): the placeholder has no closing '}}'.");
        (await ErrorAsync("a: '{{ weir.nope.x }}'", ScopeWithOutputs()))
            .Message.ShouldEndWith("references under 'weir.' are weir.blocks.TYPE.NAME[.FIELD] and weir.variables.NAME.");
    }

    [Fact]
    public async Task Resolve_EscapedBraces_BecomeLiteralBraces()
    {
        var values = await ResolveAsync(
            """
            go: "docker inspect -f '{{ '{{' }} .Name }}'"
            shaped: "{{ '{{' }} push_code.bucket }} is {{ push_code.bucket }}"
            only: "{{ '{{' }}"
            """,
            ScopeWithOutputs(new FakeReferences()));

        values["go"].ShouldBe("docker inspect -f '{{ .Name }}'");
        values["shaped"].ShouldBe("{{ push_code.bucket }} is my-bucket");
        values["only"].ShouldBe("{{");
    }

    [Fact]
    public async Task Resolve_EscapedBraces_SurviveTheDeployPass_AndBecomeBracesWhenTheWorkerResolves()
    {
        // At deploy time pull steps keep block references (References is null) and are resolved again by the worker.
        var deploy = ScopeWithOutputs();
        var stored = await TemplateResolver.ResolveAsync(Yaml("s: \"echo {{ '{{' }} push_code.bucket }} {{ push_code.bucket }} {{ weir.variables.bucket }}\""), deploy, "pull step 1 'x'", CancellationToken.None);
        ((Dictionary<string, object?>)stored.ToPlain()!)["s"].ShouldBe("echo {{ '{{' }} push_code.bucket }} my-bucket {{ weir.variables.bucket }}");

        var run = new TemplateScope { References = new FakeReferences(), Environment = null };
        var resolved = await TemplateResolver.ResolveAsync(stored, run, "pull step 1 'x'", CancellationToken.None);
        ((Dictionary<string, object?>)resolved.ToPlain()!)["s"].ShouldBe("echo {{ push_code.bucket }} my-bucket vars-bucket");
    }

    [Fact]
    public async Task Resolve_WholeBlockInsideALongerString_IsAnErrorThatNamesItAndLeaksNoSecret()
    {
        var scope = ScopeWithOutputs(new FakeReferences());
        var error = await ErrorAsync("a: 1\ncreds: 'prefix {{ weir.blocks.aws-credentials.my-creds }}'", scope);

        error.Message.ShouldBe(
            "The reference '{{ weir.blocks.aws-credentials.my-creds }}' at weir.yaml:2:8 (pull step 1 'x', 'creds') stands inside a longer text, "
            + "but it is the whole aws-credentials block 'my-creds', which would be written there as JSON with its secret fields. "
            + "Refer to one field, such as {{ weir.blocks.aws-credentials.my-creds.aws_access_key_id }} (it has: aws_access_key_id, aws_secret_access_key, region_name), "
            + "or make the placeholder the whole value.");
        error.Message.ShouldNotContain("s3cr3t-key");
        (await ErrorAsync("tls: 'x={{ weir.blocks.cluster.prod.tls }}'", scope))
            .Message.ShouldContain("but it is a map of the cluster block 'prod'");

        // A secret block with its one field stands for that value, inside text too.
        (await ResolveAsync("url: 'https://x:{{ weir.blocks.secret.repo-token }}@host'", scope))["url"].ShouldBe("https://x:tok-123456@host");
    }

    [Fact]
    public async Task Resolve_LonePlaceholderWithSpacesAround_IsAStringThatKeepsThem()
    {
        var values = await ResolveAsync("padded: '  {{ push_code.count }}  '\nleft: ' {{ push_code.bucket }}'\nexact: '{{ push_code.count }}'", ScopeWithOutputs());

        values["padded"].ShouldBe("  3  ");
        values["left"].ShouldBe(" my-bucket");
        values["exact"].ShouldBe(3L);
    }

    [Fact]
    public void HasPlaceholder_IsTrueForReferencesAndEscapes_NotForOtherBraces()
    {
        TemplateResolver.HasPlaceholder("x {{ step.out }}").ShouldBeTrue();
        TemplateResolver.HasPlaceholder("{{ $HOME }}").ShouldBeTrue();
        TemplateResolver.HasPlaceholder("{{ '{{' }}").ShouldBeTrue();
        TemplateResolver.HasPlaceholder("docker inspect -f '{{ json .State }}'").ShouldBeFalse();
        TemplateResolver.HasPlaceholder("{{ .Name }}").ShouldBeFalse();
    }
}
