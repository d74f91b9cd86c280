using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Weir.Storage.Config;
using Weir.Storage.Steps;
using Weir.Storage.Templating;
using static Weir.Storage.Tests.Git.GitServerFixture;

namespace Weir.Storage.Tests.Git;

/// <summary>
/// <c>git_clone</c> as a worker runs it (fresh run folders, the cache kept) against the real git server: the
/// refresh window of the remote check, counted in requests from nginx's access log, and the checkouts shared
/// per commit (<c>checkout: shared</c>, and <c>auto</c> in the in-process pool) with their clean-up.
/// </summary>
[Collection(GitServerCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GitCloneWorkerTests(GitServerFixture server) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-git-worker-").FullName;
    private readonly FakeTimeProvider _clock = new();
    private readonly string _repository = "worker-" + Guid.NewGuid().ToString("N")[..8];

    private string Cache => Path.Combine(_root, "cache");

    private string Trees => Path.Combine(Cache, "git", "trees");

    private string NewRunFolder() => Directory.CreateDirectory(Path.Combine(_root, "runs", Guid.NewGuid().ToString("N"))).FullName;

    private async Task<(StepContext Context, IReadOnlyDictionary<string, object?> Outputs, List<string> Printed)> PullAsync(
        string? runFolder = null, string arguments = "", TimeProvider? clock = null, bool inProcess = false)
    {
        var printed = new List<string>();
        var context = new StepContext(runFolder ?? NewRunFolder(), Cache)
        {
            Output = l => { lock (printed) { printed.Add(l); } },
            ReuseCheckouts = true,
            TimeProvider = clock ?? _clock,
            FlowRunsInWorkingDirectory = !inProcess,
        };
        var yaml = $"- git_clone:\n    id: clone\n    repository: {server.BaseUrl}/{_repository}.git\n    branch: main\n    access_token: {GitHubToken}\n"
            + string.Concat(arguments.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"    {l}\n"));
        var scope = new TemplateScope();
        await new StepRunner(StepRegistry.CreateDefault()).RunAsync(StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull"), context, scope, CancellationToken.None);
        return (context, scope.StepOutputs["clone"], printed);
    }

    private Task<string> PushAsync(string version) =>
        server.CommitAsync(_repository, "main", new Dictionary<string, string> { ["flows/my_flow.cs"] = $"// {version}", ["README.md"] = "readme" }, version);

    /// <summary>Requests for this test's repository that nginx has logged so far.</summary>
    private int Requests() =>
        File.ReadLines(Path.Combine(server.Directory, "nginx-access.log")).Count(l => l.Contains($" /{_repository}.git/", StringComparison.Ordinal));

    private static string Flow(StepContext context) => File.ReadAllText(Path.Combine(context.WorkingDirectory, "flows", "my_flow.cs"));

    [Fact]
    public async Task Pull_HundredConcurrentRunsOfAnUnchangedBranch_CostOneRequestToTheGitServer()
    {
        await PushAsync("v1");
        await PullAsync(inProcess: true);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var before = Requests();

        var runs = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => PullAsync(inProcess: true))));

        (Requests() - before).ShouldBe(1, "one remote check for all of them: the others waited for its answer");
        runs.ShouldAllBe(r => Flow(r.Context) == "// v1");
        runs.Select(r => r.Context.WorkingDirectory).Distinct().ShouldHaveSingleItem("one checkout of the commit, shared");
    }

    [Fact]
    public async Task Pull_ConcurrentRunsWithPooledCheckouts_ShareOneRemoteCheckToo()
    {
        await PushAsync("v1");
        await PullAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var before = Requests();

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PullAsync())));

        (Requests() - before).ShouldBe(1);
        runs.Select(r => r.Context.WorkingDirectory).Distinct().Count().ShouldBe(8, "each run has a pooled checkout of its own");
        runs.ShouldAllBe(r => Flow(r.Context) == "// v1");
    }

    [Fact]
    public async Task Pull_HundredConcurrentRunsOnTheRealClock_CostAHandfulOfRequests()
    {
        await PushAsync("v1");
        await PullAsync(clock: TimeProvider.System);
        var before = Requests();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => PullAsync(clock: TimeProvider.System, inProcess: true))));

        // One check per started second of the window at most, plus the one the first pull left open.
        (Requests() - before).ShouldBeLessThanOrEqualTo(Math.Max(5, (int)clock.Elapsed.TotalSeconds + 2));
    }

    [Fact]
    public async Task Pull_PushedEdit_IsUsedByTheFirstRunAfterTheWindow()
    {
        await PushAsync("v1");
        Flow((await PullAsync()).Context).ShouldBe("// v1");
        var v2 = await PushAsync("v2");

        var inside = await PullAsync();
        Flow(inside.Context).ShouldBe("// v1", "within the window the last check's commit serves");
        inside.Printed.ShouldContain(l => l.Contains("(branch main, as a check 0 s ago found it)", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = await PullAsync();

        Flow(after.Context).ShouldBe("// v2");
        after.Outputs["commit"].ShouldBe(v2);
    }

    [Fact]
    public async Task Pull_PushedEdit_OnTheRealClock_IsUsedOnceTheWindowHasPassed()
    {
        await PushAsync("v1");
        Flow((await PullAsync(clock: TimeProvider.System)).Context).ShouldBe("// v1");
        var v2 = await PushAsync("v2");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var next = await PullAsync(clock: TimeProvider.System);

        next.Outputs["commit"].ShouldBe(v2);
        Flow(next.Context).ShouldBe("// v2");
    }

    [Fact]
    public async Task Pull_WithRefreshSecondsZero_AsksTheGitServerForEveryRun()
    {
        await PushAsync("v1");
        await PullAsync(arguments: "refresh_seconds: 0");
        var before = Requests();

        for (var i = 0; i < 5; i++)
        {
            await PullAsync(arguments: "refresh_seconds: 0");
        }

        (Requests() - before).ShouldBe(5);
        await PushAsync("v2");
        Flow((await PullAsync(arguments: "refresh_seconds: 0")).Context).ShouldBe("// v2", "with no window the very next run sees a push");
    }

    [Fact]
    public async Task Pull_PinnedCommitCheckedOutHereBefore_MakesNoRequest()
    {
        var v1 = await PushAsync("v1");
        await PullAsync(inProcess: true);
        await PushAsync("v2");
        _clock.Advance(TimeSpan.FromHours(1));
        var before = Requests();

        var retry = await PullAsync(arguments: $"commit: {v1}", inProcess: true);

        Requests().ShouldBe(before);
        Flow(retry.Context).ShouldBe("// v1");
    }

    [Fact]
    public async Task Pull_CheckoutShared_IsOneReadOnlyCheckoutPerCommit_RemovedOnceUnusedAndANewerCommitIsOut()
    {
        var v1 = await PushAsync("v1");
        var a = await PullAsync(arguments: "checkout: shared");
        var b = await PullAsync(arguments: "checkout: shared");

        b.Context.WorkingDirectory.ShouldBe(a.Context.WorkingDirectory);
        var treeV1 = Path.GetDirectoryName(a.Context.WorkingDirectory)!;
        Path.GetFileName(treeV1).ShouldBe(v1);
        File.GetUnixFileMode(Path.Combine(a.Context.WorkingDirectory, "flows", "my_flow.cs")).HasFlag(UnixFileMode.UserWrite).ShouldBeFalse();
        File.GetUnixFileMode(Path.Combine(a.Context.WorkingDirectory, "flows")).HasFlag(UnixFileMode.UserWrite).ShouldBeFalse();

        await PushAsync("v2");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var c = await PullAsync(arguments: "checkout: shared");
        var treeV2 = Path.GetDirectoryName(c.Context.WorkingDirectory)!;
        Flow(c.Context).ShouldBe("// v2");
        Directory.Exists(treeV1).ShouldBeTrue("runs a and b still use v1");

        Directory.Delete(a.Context.RunFolder, recursive: true);
        Directory.Delete(b.Context.RunFolder, recursive: true);
        await PushAsync("v3");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var d = await PullAsync(arguments: "checkout: shared");

        Flow(d.Context).ShouldBe("// v3");
        Directory.Exists(treeV1).ShouldBeFalse("no run uses v1 and newer commits are out");
        Directory.Exists(treeV2).ShouldBeTrue("run c still uses v2");
        Directory.Exists(treeV1 + ".leases").ShouldBeFalse();
        Directory.GetDirectories(Path.GetDirectoryName(treeV1)!).ShouldNotContain(p => p.Contains(".tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pull_InTheInProcessPool_AutoLendsTheCommitsSharedCheckout()
    {
        var v1 = await PushAsync("v1");

        var a = await PullAsync(inProcess: true);
        var b = await PullAsync(inProcess: true);

        a.Context.WorkingDirectory.ShouldBe(b.Context.WorkingDirectory);
        a.Context.WorkingDirectory.ShouldStartWith(Trees + Path.DirectorySeparatorChar);
        a.Outputs["directory"].ShouldBe(a.Context.WorkingDirectory);
        a.Outputs["commit"].ShouldBe(v1);
        Flow(a.Context).ShouldBe("// v1");
    }

    [Fact]
    public async Task Pull_InAFlowProcess_AutoLendsAPooledCheckoutOfTheRunsOwn()
    {
        var v1 = await PushAsync("v1");

        var a = await PullAsync();
        var b = await PullAsync();

        a.Context.WorkingDirectory.ShouldNotBe(b.Context.WorkingDirectory, "relative paths the flow writes land in its checkout, so it is the run's alone");
        a.Context.WorkingDirectory.ShouldStartWith(Path.Combine(Cache, "git", "checkouts") + Path.DirectorySeparatorChar);
        (await Shell.RunAsync("git", "-C", a.Context.WorkingDirectory, "rev-parse", "HEAD")).Trim().ShouldBe(v1);
        Directory.Exists(Trees).ShouldBeFalse();
    }

    [Theory]
    [InlineData("checkout: readonly", "'checkout' is 'readonly'; write auto (the default), shared (one read-only checkout per commit, shared by its runs) or pool (a checkout of the run's own, reset and cleaned for each run).")]
    [InlineData("refresh_seconds: -1", "'refresh_seconds' is -1; write how many seconds a check of the branch serves the runs after it (1 by default), or 0 to check for every run.")]
    [InlineData("refresh_seconds: soon", "'git_clone' argument 'refresh_seconds' must be a number, not 'soon'.")]
    public async Task Pull_BadCheckoutOrRefreshSeconds_FailsNamingTheArgument(string argument, string message)
    {
        var error = await Should.ThrowAsync<StepFailedException>(() => PullAsync(arguments: argument));

        error.Message.ShouldEndWith(message);
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Trees))
            {
                // Shared checkouts are read-only; give their folders write permission back first.
                foreach (var folder in Directory.EnumerateDirectories(Trees, "*", SearchOption.AllDirectories))
                {
                    if (!new DirectoryInfo(folder).Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.UserWrite);
                    }
                }
            }

            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
