using Microsoft.Extensions.Time.Testing;
using Weir.Storage.Config;
using Weir.Storage.Steps;
using Weir.Storage.Templating;
using static Weir.Storage.Tests.Git.GitServerFixture;

namespace Weir.Storage.Tests.Git;

[Collection(GitServerCollection.Name)]
public sealed class GitCloneStepTests(GitServerFixture server) : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("weir-git-cache-").FullName;
    private readonly List<string> _printed = [];

    // The clock of git_clone's refresh window (1 s by default): tests move it past the window after a push.
    private readonly FakeTimeProvider _clock = new();

    private static readonly Dictionary<string, string> s_flow = new() { ["flows/my_flow.cs"] = "// v1", ["README.md"] = "readme", ["docs/guide.md"] = "guide" };

    private async Task<(StepContext Context, IReadOnlyDictionary<string, object?> Outputs)> CloneAsync(string arguments)
    {
        var context = new StepContext(Directory.CreateDirectory(Path.Combine(_cache, "runs", Guid.NewGuid().ToString("N"))).FullName, Path.Combine(_cache, "cache")) { Output = _printed.Add, TimeProvider = _clock };
        var scope = new TemplateScope();
        var yaml = "- git_clone:\n    id: clone\n" + string.Join('\n', arguments.Split('\n').Select(l => "    " + l));
        await new StepRunner(StepRegistry.CreateDefault()).RunAsync(StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull"), context, scope, CancellationToken.None);
        return (context, scope.StepOutputs["clone"]);
    }

    private async Task<StepContext> CloneReusingAsync(string runFolder, string arguments)
    {
        var context = new StepContext(Directory.CreateDirectory(runFolder).FullName, Path.Combine(_cache, "cache")) { Output = _printed.Add, ReuseCheckouts = true, TimeProvider = _clock };
        var yaml = "- git_clone:\n" + string.Join('\n', arguments.Split('\n').Select(l => "    " + l));
        await new StepRunner(StepRegistry.CreateDefault()).RunAsync(StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull"), context, new TemplateScope(), CancellationToken.None);
        return context;
    }

    private Task<(StepContext Context, IReadOnlyDictionary<string, object?> Outputs)> CloneWithBlockAsync(string repository, string blockYaml) =>
        CloneAsync($"repository: {server.BaseUrl}/{repository}.git\ncredentials: {blockYaml}");

    [Fact]
    public async Task Clone_WithGitHubToken_ChecksOutTheDefaultBranchAndMovesIntoIt()
    {
        var sha = await server.CommitAsync("gh", "main", s_flow);

        var (context, outputs) = await CloneAsync($"repository: {server.BaseUrl}/gh.git\naccess_token: {GitHubToken}");

        outputs["commit"].ShouldBe(sha);
        context.WorkingDirectory.ShouldBe(outputs["directory"]);
        Path.GetFileName(context.WorkingDirectory).ShouldBe("gh");
        (await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, "flows/my_flow.cs"))).ShouldBe("// v1");
    }

    [Theory]
    [InlineData("github", $"{{ _block_type: github-credentials, token: {GitHubToken} }}")]
    [InlineData("gitlab-access", $"{{ _block_type: gitlab-credentials, token: {GitLabAccessToken} }}")]
    [InlineData("gitlab-deploy", $"{{ _block_type: gitlab-credentials, token: {GitLabDeployToken}, username: '{GitLabDeployUser}' }}")]
    [InlineData("bitbucket-cloud", $"{{ _block_type: bitbucket-credentials, token: {BitbucketCloudToken} }}")]
    [InlineData("bitbucket-server", $"{{ _block_type: bitbucket-credentials, token: {BitbucketServerToken}, username: {BitbucketServerUser} }}")]
    [InlineData("secret-with-user", $"{{ _block_type: secret, value: 'x-token-auth:{BitbucketCloudToken}' }}")]
    public Task Clone_WithEachHostsCredentialShape_Authenticates(string name, string block) => ClonesWithBlockAsync("shape-" + name, block);

    // The gitlab and bitbucket realms of the server accept only the user names that kind of host uses (GitServerFixture).
    [Theory]
    [InlineData("gl-deploy-in-token", $"{{ _block_type: gitlab-credentials, _block_name: ci, token: '{RealmDeployUser}:{RealmDeployToken}' }}")]
    [InlineData("gl-oauth2-in-token", $"{{ _block_type: gitlab-credentials, token: 'oauth2:{GitLabAccessToken}' }}")]
    [InlineData("gl-access-token", $"{{ _block_type: gitlab-credentials, token: {GitLabAccessToken} }}")]
    [InlineData("gl-username-password", $"{{ _block_type: gitlab-credentials, username: {RealmDeployUser}, password: {RealmDeployToken} }}")]
    [InlineData("gl-secret-with-user", $"{{ _block_type: secret, value: '{RealmDeployUser}:{RealmDeployToken}' }}")]
    public Task Clone_FromAGitLabThatTakesOnlyItsUserNames_AuthenticatesWithEachBlockShape(string name, string block) => ClonesWithBlockAsync("gitlab/" + name, block);

    [Theory]
    [InlineData("bb-x-token-auth-in-token", $"{{ _block_type: bitbucket-credentials, token: 'x-token-auth:{BitbucketCloudToken}' }}")]
    [InlineData("bb-bare-token", $"{{ _block_type: bitbucket-credentials, token: {BitbucketCloudToken} }}")]
    [InlineData("bb-app-password", $"{{ _block_type: bitbucket-credentials, username: {RealmAppUser}, password: {RealmAppPassword} }}")]
    [InlineData("bb-server-token", $"{{ _block_type: bitbucket-credentials, username: {BitbucketServerUser}, token: {BitbucketServerToken} }}")]
    [InlineData("bb-any-block-username-password", $"{{ _block_type: github-credentials, username: {RealmAppUser}, password: {RealmAppPassword} }}")]
    public Task Clone_FromABitbucketThatTakesOnlyItsUserNames_AuthenticatesWithEachBlockShape(string name, string block) => ClonesWithBlockAsync("bitbucket/" + name, block);

    [Theory]
    [InlineData($"access_token: {GitLabAccessToken}\nprovider: gitlab")]
    [InlineData($"credentials: {GitLabAccessToken}\nprovider: gitlab")]
    [InlineData($"access_token: 'oauth2:{GitLabAccessToken}'")]
    public async Task Clone_PlainTokenOnASelfHostedGitLab_UsesGitLabsFormatBecauseTheStepSaysTheKind(string arguments)
    {
        var repository = "gitlab/plain-" + Guid.NewGuid().ToString("N")[..8];
        var sha = await server.CommitAsync(repository, "main", s_flow);

        var (_, outputs) = await CloneAsync($"repository: {server.BaseUrl}/{repository}.git\n{arguments}");

        outputs["commit"].ShouldBe(sha);
    }

    [Fact]
    public async Task Clone_PlainTokenOnAHostOfUnknownKind_FailsSayingHowToGiveTheKind_AndABadProviderIsNamed()
    {
        await server.CommitAsync("gitlab/unknown-kind", "main", s_flow);

        var error = await Should.ThrowAsync<StepFailedException>(() => CloneAsync($"repository: {server.BaseUrl}/gitlab/unknown-kind.git\naccess_token: {GitLabAccessToken}"));

        error.Message.ShouldContain("the server refused the token (sent as user 'x-access-token')");
        error.Message.ShouldContain("add provider: gitlab or provider: bitbucket to the git_clone step");
        error.Message.ShouldNotContain(GitLabAccessToken);
        var bad = await Should.ThrowAsync<StepFailedException>(() => CloneAsync($"repository: {server.BaseUrl}/gitlab/unknown-kind.git\naccess_token: x\nprovider: gitea"));
        bad.Message.ShouldContain("'provider' is 'gitea'; write github, gitlab or bitbucket");
        var mismatch = await Should.ThrowAsync<StepFailedException>(() => CloneWithBlockAsync("gitlab/unknown-kind", "{ _block_type: github-credentials, _block_name: gh, token: t }\nprovider: gitlab"));
        mismatch.Message.ShouldContain("says provider: gitlab, but its credentials are the github-credentials block 'gh'");
    }

    [Fact]
    public async Task Clone_WithWrongToken_SaysAuthenticationFailedNamingTheUrlOnly()
    {
        await server.CommitAsync("wrong", "main", s_flow);

        var error = await Should.ThrowAsync<StepFailedException>(() => CloneAsync($"repository: {server.BaseUrl}/wrong.git\naccess_token: not-the-right-token-777"));

        error.Message.ShouldBe($"pull step 1 'git_clone' (id 'clone') at weir.yaml:1:3 failed: authentication failed for {server.BaseUrl}/wrong.git: the server refused the token (sent as user 'x-access-token'); check that it is valid and may read this repository. "
            + "This host's kind was not given, so the token went as GitHub's does (user x-access-token); for a self-hosted GitLab or Bitbucket, add provider: gitlab or provider: bitbucket to the git_clone step, or use a gitlab-credentials or bitbucket-credentials block.");
        var none = await Should.ThrowAsync<StepFailedException>(() => CloneAsync($"repository: {server.BaseUrl}/wrong.git"));
        none.Message.ShouldContain("the repository needs credentials; give 'access_token' or 'credentials'");
    }

    [Fact]
    public async Task Clone_BranchAndPinnedCommit_CheckOutWhatWasAskedFor()
    {
        var first = await server.CommitAsync("branches", "main", new Dictionary<string, string> { ["v.txt"] = "one" });
        await server.CommitAsync("branches", "main", new Dictionary<string, string> { ["v.txt"] = "two" });
        await server.CommitAsync("branches", "dev", new Dictionary<string, string> { ["v.txt"] = "dev" });

        var (dev, devOut) = await CloneAsync($"repository: {server.BaseUrl}/branches.git\nbranch: dev\naccess_token: {GitHubToken}");
        (await File.ReadAllTextAsync(Path.Combine(dev.WorkingDirectory, "v.txt"))).ShouldBe("dev");
        Path.GetFileName(dev.WorkingDirectory).ShouldBe("branches-dev");
        devOut["branch"].ShouldBe("dev");

        var (pinned, pinnedOut) = await CloneAsync($"repository: {server.BaseUrl}/branches.git\ncommit: {first}\naccess_token: {GitHubToken}");
        (await File.ReadAllTextAsync(Path.Combine(pinned.WorkingDirectory, "v.txt"))).ShouldBe("one");
        pinnedOut["commit"].ShouldBe(first);

        var missing = await Should.ThrowAsync<StepFailedException>(() => CloneAsync($"repository: {server.BaseUrl}/branches.git\nbranch: nope\naccess_token: {GitHubToken}"));
        missing.Message.ShouldEndWith($"the branch 'nope' is not in {server.BaseUrl}/branches.git; its branches: dev, main.");
    }

    [Fact]
    public async Task Clone_UnchangedBranch_DoesNotFetchAndAPushIsPickedUp()
    {
        await server.CommitAsync("rerun", "main", new Dictionary<string, string> { ["v.txt"] = "one" });
        var repo = $"repository: {server.BaseUrl}/rerun.git\naccess_token: {GitHubToken}";

        await CloneAsync(repo);
        _printed.ShouldContain(l => l.Contains("(first use)", StringComparison.Ordinal));
        _printed.Clear();

        await CloneAsync(repo);
        _printed.ShouldNotContain(l => l.Contains("Fetching", StringComparison.Ordinal) || l.Contains("Cloning", StringComparison.Ordinal));

        var newer = await server.CommitAsync("rerun", "main", new Dictionary<string, string> { ["v.txt"] = "two" });
        _clock.Advance(TimeSpan.FromSeconds(1));
        var (context, outputs) = await CloneAsync(repo);
        _printed.ShouldContain(l => l.StartsWith("Fetching", StringComparison.Ordinal));
        outputs["commit"].ShouldBe(newer);
        (await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, "v.txt"))).ShouldBe("two");
    }

    [Fact]
    public async Task Clone_SparseDirectories_ChecksOutOnlyThose()
    {
        await server.CommitAsync("sparse", "main", s_flow);

        var (context, _) = await CloneAsync($"repository: {server.BaseUrl}/sparse.git\naccess_token: {GitHubToken}\ndirectories: [flows]");

        File.Exists(Path.Combine(context.WorkingDirectory, "flows/my_flow.cs")).ShouldBeTrue();
        Directory.Exists(Path.Combine(context.WorkingDirectory, "docs")).ShouldBeFalse();
    }

    [Fact]
    public async Task Clone_PrivateSubmoduleOnTheSameHost_GetsTheSameCredentials()
    {
        var lib = await server.CommitAsync("sub-lib", "main", new Dictionary<string, string> { ["lib.cs"] = "// lib" });
        await server.CommitAsync("sub-app", "main", s_flow);
        await server.AddSubmoduleAsync("sub-app", "vendor/lib", "sub-lib", lib);

        var (context, _) = await CloneAsync($"repository: {server.BaseUrl}/sub-app.git\naccess_token: {GitHubToken}\ninclude_submodules: true");

        (await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, "vendor/lib/lib.cs"))).ShouldBe("// lib");
    }

    [Fact]
    public async Task Clone_TokenNeverLandsInGitConfigOrAnyFile()
    {
        await server.CommitAsync("leak", "main", s_flow);
        var (context, _) = await CloneAsync($"repository: {server.BaseUrl}/leak.git\naccess_token: {GitHubToken}");

        foreach (var root in new[] { context.WorkingDirectory, Path.Combine(_cache, "cache") })
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(GitHubToken)).ShouldBe(-1, file);
            }
        }

        _printed.ShouldAllBe(l => !l.Contains(GitHubToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clone_InAWorker_LendsACachedCheckout_ResetAndCleanedOfWhatTheLastRunLeft()
    {
        await server.CommitAsync("reuse", "main", s_flow);
        var arguments = $"repository: {server.BaseUrl}/reuse.git\naccess_token: {GitHubToken}";
        var firstRun = Path.Combine(_cache, "runs", "first");
        var first = await CloneReusingAsync(firstRun, arguments);
        first.WorkingDirectory.ShouldNotStartWith(firstRun, Case.Sensitive, "the checkout is the cache's, lent to the run");
        await File.WriteAllTextAsync(Path.Combine(first.WorkingDirectory, "flows/my_flow.cs"), "// changed by a run");
        await File.WriteAllTextAsync(Path.Combine(first.WorkingDirectory, "left-behind.txt"), "x");
        Directory.CreateDirectory(Path.Combine(first.WorkingDirectory, "bin"));

        var concurrent = await CloneReusingAsync(Path.Combine(_cache, "runs", "concurrent"), arguments);
        concurrent.WorkingDirectory.ShouldNotBe(first.WorkingDirectory, "a checkout lent to a live run folder is not lent again");

        Directory.Delete(firstRun, recursive: true);
        var next = await CloneReusingAsync(Path.Combine(_cache, "runs", "next"), arguments);

        next.WorkingDirectory.ShouldBe(first.WorkingDirectory, "the run folder is gone, so its checkout is free again");
        (await File.ReadAllTextAsync(Path.Combine(next.WorkingDirectory, "flows/my_flow.cs"))).ShouldBe("// v1");
        File.Exists(Path.Combine(next.WorkingDirectory, "left-behind.txt")).ShouldBeFalse();
        Directory.Exists(Path.Combine(next.WorkingDirectory, "bin")).ShouldBeFalse();

        var v2 = await server.CommitAsync("reuse", "main", new Dictionary<string, string> { ["flows/my_flow.cs"] = "// v2" });
        Directory.Delete(Path.Combine(_cache, "runs", "next"), recursive: true);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterPush = await CloneReusingAsync(Path.Combine(_cache, "runs", "after-push"), arguments);
        (await File.ReadAllTextAsync(Path.Combine(afterPush.WorkingDirectory, "flows/my_flow.cs"))).ShouldBe("// v2");
        (await Shell.RunAsync("git", "-C", afterPush.WorkingDirectory, "rev-parse", "HEAD")).Trim().ShouldBe(v2);
    }

    [Fact]
    public async Task Clone_TokenInTheUrl_IsRefused()
    {
        var error = await Should.ThrowAsync<StepFailedException>(() => CloneAsync($"repository: http://x-access-token:{GitHubToken}@127.0.0.1:1/r.git"));

        error.Message.ShouldBe("pull step 1 'git_clone' (id 'clone') at weir.yaml:1:3 failed: the repository URL http://127.0.0.1:1/r.git holds a password or token; put it in 'access_token' or a credentials block instead.");
    }

    /// <summary>Clones a new repository <paramref name="repository"/> of the server with the credentials block <paramref name="block"/>, checked to check out its commit.</summary>
    private async Task ClonesWithBlockAsync(string repository, string block)
    {
        var sha = await server.CommitAsync(repository, "main", s_flow);

        var (_, outputs) = await CloneWithBlockAsync(repository, block);

        outputs["commit"].ShouldBe(sha);
    }

    public void Dispose() => TempFolder.Delete(_cache);
}
