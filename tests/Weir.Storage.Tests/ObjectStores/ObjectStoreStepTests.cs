using System.Security.Cryptography;
using System.Text.Json;
using Weir.Storage.Config;
using Weir.Storage.ObjectStores;
using Weir.Storage.Steps;
using Weir.Storage.Templating;

namespace Weir.Storage.Tests.ObjectStores;

/// <summary>
/// The same behaviour asked of every store, run against its emulator by a subclass: push, pull, one
/// changed file moves once each way, deletions, ignore rules, exact folder prefixes, refused keys,
/// and wrong credentials. Transfers are counted through the steps' sync results.
/// </summary>
public abstract class ObjectStoreStepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-objects-").FullName;
    private readonly List<string> _printed = [];
    private readonly List<object> _results = [];

    /// <summary>"s3", "azure_blob_storage" or "gcs".</summary>
    protected abstract string Suffix { get; }

    /// <summary>"bucket" or "container".</summary>
    protected abstract string ContainerArgument { get; }

    protected abstract string? EndpointUrl { get; }

    protected abstract IReadOnlyDictionary<string, object?> Credentials { get; }

    protected abstract IReadOnlyDictionary<string, object?> WrongCredentials { get; }

    /// <summary>The secret in <see cref="WrongCredentials"/> that must appear in no message.</summary>
    protected abstract string WrongSecret { get; }

    protected abstract string BlockType { get; }

    protected abstract Task<string> NewContainerAsync();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// In a new container: pushes a project of <paramref name="files"/> to folder <c>proj</c> and one of
    /// <paramref name="otherFiles"/> to <paramref name="otherFolder"/>, deletes <paramref name="deleted"/> from the first
    /// and pushes it again; the container and what that push did.
    /// </summary>
    private async Task<(string Container, SyncResult Pushed)> PushNextToAnotherThenDeleteAsync(
        Dictionary<string, string> files, Dictionary<string, string> otherFiles, string otherFolder, string deleted)
    {
        var container = await NewContainerAsync();
        var project = Project(files);
        await PushAsync(project, container, "proj");
        await PushAsync(Project(otherFiles), container, otherFolder);

        File.Delete(Path.Combine(project, deleted));
        var (pushed, _) = await PushAsync(project, container, "proj");
        return (container, pushed);
    }

    [Fact]
    public async Task Push_ThenPull_GivesTheRunAnExactCopyAndTheManifestHash()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["flows/my_flow.cs"] = "// v1", ["README.md"] = "readme", ["lib/deep/util.cs"] = "util", ["data.json"] = "{}" });

        var (pushed, pushOutputs) = await PushAsync(project, container, "proj");
        var (pulled, pullOutputs, context) = await PullAsync(container, "proj");

        pushed.New.ShouldBe(4);
        pushOutputs[ContainerArgument].ShouldBe(container);
        pushOutputs["folder"].ShouldBe("proj");
        _printed.ShouldContain($"Uploading 4 of 4 files (0 changed, 4 new) to {Describe(container, "proj/")}, remove 0 that an earlier push uploaded, keep 0 other objects");
        pulled.New.ShouldBe(4);
        pullOutputs["manifest_hash"].ShouldBe(pushOutputs["manifest_hash"]);
        ((string)pullOutputs["manifest_hash"]!).Length.ShouldBe(64);
        context.WorkingDirectory.ShouldBe(pullOutputs["directory"]);
        FilesOf(context.WorkingDirectory).ShouldBe(FilesOf(project));
    }

    [Fact]
    public async Task Push_AfterOneFileChanged_UploadsOneFile_AndPullDownloadsOne()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["flows/my_flow.cs"] = "// v1", ["README.md"] = "readme", ["lib/util.cs"] = "util" });
        await PushAsync(project, container, "proj");
        await PullAsync(container, "proj");

        await File.WriteAllTextAsync(Path.Combine(project, "flows/my_flow.cs"), "// v2");
        var (pushed, _) = await PushAsync(project, container, "proj");
        var (pulled, _, context) = await PullAsync(container, "proj");
        var (again, _, _) = await PullAsync(container, "proj");
        var (unchanged, _) = await PushAsync(project, container, "proj");

        (pushed.Transferred, pushed.Changed, pushed.New, pushed.Deleted).ShouldBe((1, 1, 0, 0));
        (pulled.Transferred, pulled.Changed).ShouldBe((1, 1));
        (again.Transferred, again.BytesTransferred).ShouldBe((0, 0L));
        unchanged.Transferred.ShouldBe(0);
        (await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, "flows/my_flow.cs"))).ShouldBe("// v2");
    }

    [Fact]
    public async Task Push_AfterAFileIsDeleted_DeletesItRemotely_AndPullRemovesIt()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["flows/my_flow.cs"] = "// v1", ["old/helper.cs"] = "old" });
        await PushAsync(project, container, "proj");
        await PullAsync(container, "proj");

        File.Delete(Path.Combine(project, "old/helper.cs"));
        var (pushed, _) = await PushAsync(project, container, "proj");
        var (pulled, _, context) = await PullAsync(container, "proj");

        pushed.Deleted.ShouldBe(1);
        (await ListAsync(container, "proj/")).ShouldNotContain("proj/old/helper.cs");
        pulled.Deleted.ShouldBe(1);
        FilesOf(context.WorkingDirectory).Keys.ShouldBe(["flows/my_flow.cs"]);
    }

    [Fact]
    public async Task Push_LeavesOutWhatWeirignoreExcludes()
    {
        var container = await NewContainerAsync();
        var project = Project(new()
        {
            [".weirignore"] = "# build output\nbin/\n*.log\n!keep.log\nbuild/*\n!build/keep/\n/secret.txt\n",
            ["flows/f.cs"] = "f", ["bin/a.dll"] = "x", ["src/bin/b.dll"] = "x", ["debug.log"] = "x", ["keep.log"] = "k",
            ["build/out.o"] = "x", ["build/keep/x.txt"] = "x", ["secret.txt"] = "s", ["sub/secret.txt"] = "ok",
        });

        await PushAsync(project, container, "proj");
        var (_, _, context) = await PullAsync(container, "proj");

        FilesOf(context.WorkingDirectory).Keys.Order(StringComparer.Ordinal).ShouldBe([".weirignore", "build/keep/x.txt", "flows/f.cs", "keep.log", "sub/secret.txt"]);
    }

    [Fact]
    public async Task Folder_MatchesItsPrefixExactly_NeverASiblingThatStartsTheSame()
    {
        var (container, pushed) = await PushNextToAnotherThenDeleteAsync(new() { ["a.cs"] = "a", ["gone.cs"] = "g" }, new() { ["b.cs"] = "b" }, "proj2", "gone.cs");
        var (_, _, one) = await PullAsync(container, "proj");
        var (_, _, two) = await PullAsync(container, "proj2");

        pushed.Deleted.ShouldBe(1);
        FilesOf(one.WorkingDirectory).Keys.ShouldBe(["a.cs"]);
        FilesOf(two.WorkingDirectory).Keys.ShouldBe(["b.cs"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("proj")]
    public async Task Push_NeverRemovesObjectsItDidNotUpload_OnAPushARePushOrAfterALocalDelete(string folder)
    {
        var container = await NewContainerAsync();
        var prefix = folder.Length == 0 ? string.Empty : folder + "/";
        string[] foreign = ["precious/data.csv", "backups/db.dump", "readme.txt", prefix + "theirs/notes.txt", prefix + "top.txt"];
        foreach (var key in foreign)
        {
            await WriteRawAsync(container, key, "not Weir's"u8.ToArray());
        }

        var project = Project(new() { ["flows/f.cs"] = "// v1", ["gone.cs"] = "g" });
        var (first, _) = await PushAsync(project, container, folder);
        var (again, _) = await PushAsync(project, container, folder);
        File.Delete(Path.Combine(project, "gone.cs"));
        var (afterDelete, _) = await PushAsync(project, container, folder);

        (first.Deleted, again.Deleted, afterDelete.Deleted).ShouldBe((0, 0, 1));
        var listed = await ListAsync(container, string.Empty);
        foreign.Except(listed).ShouldBeEmpty();
        listed.ShouldContain(prefix + "flows/f.cs");
        listed.ShouldNotContain(prefix + "gone.cs");
        first.Kept.ShouldBe(folder.Length == 0 ? 5 : 2);
        _printed.ShouldContain(l => l.Contains($"has no {ObjectKeys.ManifestName}") && l.Contains("nothing there is removed"));
        _printed.ShouldContain(l => l.StartsWith("Uploading 2 of 2 files (0 changed, 2 new) to ", StringComparison.Ordinal) && l.EndsWith($"remove 0 that an earlier push uploaded, keep {first.Kept} other objects", StringComparison.Ordinal));
        var (_, _, pulled) = await PullAsync(container, folder);
        FilesOf(pulled.WorkingDirectory).Keys.ShouldBe(["flows/f.cs"]);
    }

    [Fact]
    public async Task Push_WhoseManifestWasDeletedByHand_RemovesNothing()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["a.cs"] = "a", ["old.cs"] = "o" });
        await PushAsync(project, container, "proj");
        await DeleteRawAsync(container, "proj/" + ObjectKeys.ManifestName);

        File.Delete(Path.Combine(project, "old.cs"));
        var (pushed, _) = await PushAsync(project, container, "proj");

        pushed.Deleted.ShouldBe(0);
        (await ListAsync(container, "proj/")).ShouldContain("proj/old.cs");
        (await ListAsync(container, "proj/")).ShouldContain("proj/" + ObjectKeys.ManifestName);
    }

    [Fact]
    public async Task Push_WithAnUnreadableManifest_UploadsEverything_AndRemovesNothing()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["a.cs"] = "a", ["old.cs"] = "o" });
        await PushAsync(project, container, "proj");
        await WriteRawAsync(container, "proj/" + ObjectKeys.ManifestName, "{ not json"u8.ToArray());

        File.Delete(Path.Combine(project, "old.cs"));
        var (pushed, _) = await PushAsync(project, container, "proj");

        (pushed.Transferred, pushed.Deleted).ShouldBe((1, 0));
        (await ListAsync(container, "proj/")).ShouldContain("proj/old.cs");
        _printed.ShouldContain(l => l.Contains("is not readable") && l.Contains("removing nothing"));
    }

    [Fact]
    public async Task Push_DoesNotRemoveAFileItOnceUploaded_WhenSomeoneReplacedIt()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["a.cs"] = "a", ["shared.txt"] = "weir's" });
        await PushAsync(project, container, "proj");
        await WriteRawAsync(container, "proj/shared.txt", "someone else's, longer"u8.ToArray());

        File.Delete(Path.Combine(project, "shared.txt"));
        var (pushed, _) = await PushAsync(project, container, "proj");

        pushed.Deleted.ShouldBe(0);
        (await ListAsync(container, "proj/")).ShouldContain("proj/shared.txt");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoFlowsUnderOnePrefix_KeepTheirOwnManifestsAndFiles_InEitherOrder(bool bFirst)
    {
        var container = await NewContainerAsync();
        var a = Project(new() { ["a.cs"] = "// a" });
        var b = Project(new() { ["b.cs"] = "// b" });
        foreach (var (project, manifest) in bFirst ? new[] { (b, "b.cs"), (a, "a.cs") } : [(a, "a.cs"), (b, "b.cs")])
        {
            var (pushed, outputs) = await PushAsync(project, container, "flows", manifest: manifest);
            pushed.Deleted.ShouldBe(0);
            outputs["manifest"].ShouldBe($".weir-manifest.{manifest}.json");
        }

        var (_, _, pulledA) = await PullAsync(container, "flows", manifest: "a.cs");
        var (_, _, pulledB) = await PullAsync(container, "flows", manifest: ".weir-manifest.b.cs.json");
        FilesOf(pulledA.WorkingDirectory).ShouldBe(new Dictionary<string, string> { ["a.cs"] = "// a" });
        FilesOf(pulledB.WorkingDirectory).ShouldBe(new Dictionary<string, string> { ["b.cs"] = "// b" });

        // A re-push of one flow removes none of the other's files; a file it uploaded and dropped goes.
        await File.WriteAllTextAsync(Path.Combine(a, "helper.cs"), "h");
        await PushAsync(a, container, "flows", manifest: "a.cs");
        File.Delete(Path.Combine(a, "helper.cs"));
        var (repushed, _) = await PushAsync(a, container, "flows", manifest: "a.cs");
        repushed.Deleted.ShouldBe(1);
        (await ListAsync(container, "flows/")).Order(StringComparer.Ordinal)
            .ShouldBe(["flows/.weir-manifest.a.cs.json", "flows/.weir-manifest.b.cs.json", "flows/a.cs", "flows/b.cs"]);
    }

    [Fact]
    public async Task Push_KeepsAFileAnotherManifestUnderTheFolderLists()
    {
        var (container, pushed) = await PushNextToAnotherThenDeleteAsync(new() { ["a.cs"] = "a", ["lib/util.cs"] = "u" }, new() { ["util.cs"] = "u" }, "proj/lib", "lib/util.cs");

        pushed.Deleted.ShouldBe(0);
        (await ListAsync(container, "proj/")).ShouldContain("proj/lib/util.cs");
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("..")]
    public async Task ManifestName_WithCharactersAFileNameCannotHold_IsRefusedNamingIt(string manifest)
    {
        var container = await NewContainerAsync();
        var error = await Should.ThrowAsync<ObjectStoreException>(() => PushAsync(Project(new() { ["a.cs"] = "a" }), container, "proj", manifest: manifest));

        error.Message.ShouldContain($"'{manifest}'");
    }

    [Fact]
    public async Task DryRun_ListsWhatThePushWouldUploadAndRemove_AndChangesNothing()
    {
        var container = await NewContainerAsync();
        await WriteRawAsync(container, "proj/theirs.txt", "x"u8.ToArray());
        var project = Project(new() { ["a.cs"] = "a", ["old.cs"] = "o" });
        await PushAsync(project, container, "proj");
        var before = await ListAsync(container, "proj/");
        File.Delete(Path.Combine(project, "old.cs"));
        await File.WriteAllTextAsync(Path.Combine(project, "a.cs"), "a2");
        await File.WriteAllTextAsync(Path.Combine(project, "new.cs"), "n");
        _printed.Clear();

        var (planned, _) = await PushAsync(project, container, "proj", dryRun: true);

        (planned.Changed, planned.New, planned.Deleted, planned.Kept).ShouldBe((1, 1, 1, 1));
        _printed.ShouldContain(l => l.StartsWith("Would upload 2 of 2 files (1 changed, 1 new)", StringComparison.Ordinal));
        _printed.ShouldContain("  upload (changed)  a.cs");
        _printed.ShouldContain("  upload (new)      new.cs");
        _printed.ShouldContain("  remove            old.cs");
        (await ListAsync(container, "proj/")).ShouldBe(before);
        var (_, _, pulled) = await PullAsync(container, "proj");
        FilesOf(pulled.WorkingDirectory).OrderBy(f => f.Key, StringComparer.Ordinal).ShouldBe([new("a.cs", "a"), new("old.cs", "o")]);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("lib/../../escape.txt")]
    [InlineData("/etc/escape.txt")]
    public async Task Pull_KeyThatWouldEscapeTheFolder_IsRefusedNamingTheKey(string key)
    {
        var container = await NewContainerAsync();
        await PushAsync(Project(new() { ["a.cs"] = "a" }), container, "proj");
        var hostile = new SyncManifest(new Dictionary<string, ManifestEntry> { ["a.cs"] = new(new string('0', 64), 1), [key] = new(new string('0', 64), 1) });
        await WriteRawAsync(container, "proj/" + ObjectKeys.ManifestName, hostile.ToJson());

        var error = await Should.ThrowAsync<ObjectStoreException>(() => PullAsync(container, "proj"));

        error.Message.ShouldContain($"'{Describe(container, "proj/" + key)}'");
        error.Message.ShouldContain("outside the target folder");
        File.Exists(Path.Combine(_root, "escape.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task WrongCredentials_SayWhichContainerAndBlock_WithoutTheSecret()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["a.cs"] = "a" });

        var error = await Should.ThrowAsync<ObjectStoreException>(() => PushAsync(project, container, "proj", WrongCredentials));

        error.Message.ShouldContain($"'{container}'");
        error.Message.ShouldContain($"the {BlockType} block");
        error.Message.ShouldNotContain(WrongSecret);
    }

    [Fact]
    public async Task Runner_PushOutputs_FeedThePullStep()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["flows/my_flow.cs"] = "// v1" });
        var endpoint = EndpointUrl is null ? string.Empty : $"\n    endpoint_url: {EndpointUrl}";
        var credentials = JsonSerializer.Serialize(Credentials);
        var yaml = $$$"""
            - push_to_{{{Suffix}}}:
                id: push_code
                {{{ContainerArgument}}}: {{{container}}}
                folder: team/proj
                credentials: {{{credentials}}}{{{endpoint}}}
            - pull_from_{{{Suffix}}}:
                id: pull_code
                {{{ContainerArgument}}}: '{{ push_code.{{{ContainerArgument}}} }}'
                folder: '{{ push_code.folder }}'
                credentials: {{{credentials}}}{{{endpoint}}}
            """;
        var steps = StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull");
        var context = new StepContext(project, Path.Combine(_root, "cache")) { Output = _printed.Add };
        var scope = new TemplateScope();

        await new StepRunner(StepRegistry.CreateDefault()).RunAsync(steps, context, scope, CancellationToken.None);

        scope.StepOutputs["pull_code"]["directory"].ShouldBe(Path.Combine(project, "proj"));
        scope.StepOutputs["pull_code"]["manifest_hash"].ShouldBe(scope.StepOutputs["push_code"]["manifest_hash"]);
        (await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, "flows/my_flow.cs"))).ShouldBe("// v1");
    }

    [Fact]
    public async Task LargeFile_IsTransferredInParts_AndArrivesIntact()
    {
        var container = await NewContainerAsync();
        var project = Project(new() { ["small.txt"] = "s" });
        var big = RandomNumberGenerator.GetBytes(17 * 1024 * 1024 + 123);
        await File.WriteAllBytesAsync(Path.Combine(project, "data.bin"), big);

        var (pushed, _) = await PushAsync(project, container, "big");
        var (pulled, _, context) = await PullAsync(container, "big");

        pushed.BytesTransferred.ShouldBe(big.Length + 1L);
        pulled.BytesTransferred.ShouldBe(big.Length + 1L);
        SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(context.WorkingDirectory, "data.bin"))).ShouldBe(SHA256.HashData(big));
    }

    private string Describe(string container, string key)
    {
        using var store = PushStep().CreateStore(Arguments(container, "proj", Credentials), new StepContext(_root, _root));
        return store.Describe(key);
    }

    private async Task<IReadOnlyList<string>> ListAsync(string container, string prefix)
    {
        using var store = PushStep().CreateStore(Arguments(container, "proj", Credentials), new StepContext(_root, _root));
        return [.. (await store.ListAsync(prefix, CancellationToken.None)).Select(o => o.Key)];
    }

    private async Task WriteRawAsync(string container, string key, byte[] content)
    {
        using var store = PushStep().CreateStore(Arguments(container, "proj", Credentials), new StepContext(_root, _root));
        await store.UploadBytesAsync(key, content, CancellationToken.None);
    }

    private async Task DeleteRawAsync(string container, string key)
    {
        using var store = PushStep().CreateStore(Arguments(container, "proj", Credentials), new StepContext(_root, _root));
        await store.DeleteAsync([key], CancellationToken.None);
    }

    private string Project(Dictionary<string, string> files)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "projects", Guid.NewGuid().ToString("N")[..8])).FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return directory;
    }

    private static Dictionary<string, string> FilesOf(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

    private StepArguments Arguments(string container, string folder, IReadOnlyDictionary<string, object?> credentials, string? manifest = null)
    {
        var values = new Dictionary<string, object?> { [ContainerArgument] = container, ["folder"] = folder, ["credentials"] = credentials };
        if (manifest is not null)
        {
            values["manifest"] = manifest;
        }

        if (EndpointUrl is not null)
        {
            values["endpoint_url"] = EndpointUrl;
        }

        return new StepArguments("test", values);
    }

    private ObjectStoreProvider Provider => ObjectStoreProvider.All.Single(p => p.Suffix == Suffix);

    private ObjectStorePushStep PushStep() => new(Provider) { OnSynced = _results.Add };

    private ObjectStorePullStep PullStep() => new(Provider) { OnSynced = _results.Add };

    private async Task<(SyncResult Result, IReadOnlyDictionary<string, object?> Outputs)> PushAsync(string project, string container, string folder,
        IReadOnlyDictionary<string, object?>? credentials = null, string? manifest = null, bool dryRun = false)
    {
        var context = new StepContext(project, Path.Combine(_root, "cache")) { Output = _printed.Add, DryRun = dryRun };
        var outputs = await PushStep().RunAsync(Arguments(container, folder, credentials ?? Credentials, manifest), context, CancellationToken.None);
        return ((SyncResult)_results[^1], outputs);
    }

    private async Task<(SyncResult Result, IReadOnlyDictionary<string, object?> Outputs, StepContext Context)> PullAsync(string container, string folder, string? manifest = null)
    {
        var run = Directory.CreateDirectory(Path.Combine(_root, "runs", Guid.NewGuid().ToString("N")[..8])).FullName;
        var context = new StepContext(run, Path.Combine(_root, "cache")) { Output = _printed.Add };
        var outputs = await PullStep().RunAsync(Arguments(container, folder, Credentials, manifest), context, CancellationToken.None);
        return ((SyncResult)_results[^1], outputs, context);
    }
}
