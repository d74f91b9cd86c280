using Microsoft.Extensions.Time.Testing;
using Weir.Storage.Git;

namespace Weir.Storage.Tests.Git;

/// <summary>
/// The refresh window of the mirror cache's remote ref check, on a repository in a local folder (so the check is
/// <c>git ls-remote</c>, counted from the git commands the runner traces) and a fake clock.
/// </summary>
public sealed class GitMirrorCacheTests : IDisposable
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(1);
    private readonly string _root = Directory.CreateTempSubdirectory("weir-mirror-cache-").FullName;
    private readonly FakeTimeProvider _clock = new();
    private readonly List<string> _commands = [];

    private string Bare => Path.Combine(_root, "origin.git");

    private GitUrl Url => GitUrl.Parse(Bare);

    private int RemoteChecks
    {
        get
        {
            lock (_commands)
            {
                return _commands.Count(c => c.StartsWith("git ls-remote", StringComparison.Ordinal));
            }
        }
    }

    private GitMirrorCache Cache() => new(Path.Combine(_root, "cache"), _clock);

    private async Task<(string Sha, TimeSpan? ReusedCheckAge)> SyncAsync(TimeSpan window, string? commit = null, GitMirrorCache? cache = null, GitCredentials? credentials = null)
    {
        using var git = new GitRunner(credentials ?? GitCredentials.None, "localhost", Trace);
        return await (cache ?? Cache()).SyncAsync(Url, git, credentials ?? GitCredentials.None, "main", commit, window, null, CancellationToken.None);
    }

    private void Trace(string command)
    {
        lock (_commands)
        {
            _commands.Add(command);
        }
    }

    private async Task<string> FirstSyncAsync()
    {
        var sha = await GitServerFixture.CommitToBareAsync(Bare, "main", new Dictionary<string, string> { ["v.txt"] = "one" });
        (await SyncAsync(s_window)).Sha.ShouldBe(sha);
        _clock.Advance(s_window);
        _commands.Clear();
        return sha;
    }

    [Fact]
    public async Task Sync_ConcurrentRunsInsideTheWindow_ShareOneRemoteCheck()
    {
        var sha = await FirstSyncAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => SyncAsync(s_window))));

        RemoteChecks.ShouldBe(1, string.Join('\n', _commands));
        results.ShouldAllBe(r => r.Sha == sha);
        results.Count(r => r.ReusedCheckAge is null).ShouldBe(1, "one run checked; the others waited for its answer");
    }

    [Fact]
    public async Task Sync_AfterTheWindow_ChecksAgain_AndSeesAPush()
    {
        var first = await FirstSyncAsync();
        (await SyncAsync(s_window)).Sha.ShouldBe(first);
        var pushed = await GitServerFixture.CommitToBareAsync(Bare, "main", new Dictionary<string, string> { ["v.txt"] = "two" });

        _clock.Advance(s_window - TimeSpan.FromMilliseconds(1));
        var inside = await SyncAsync(s_window);
        inside.Sha.ShouldBe(first, "within the window of the last check the push is not looked for");
        inside.ReusedCheckAge.ShouldBe(s_window - TimeSpan.FromMilliseconds(1));
        RemoteChecks.ShouldBe(1);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = await SyncAsync(s_window);

        after.Sha.ShouldBe(pushed);
        after.ReusedCheckAge.ShouldBeNull();
        RemoteChecks.ShouldBe(2);
        _commands.ShouldContain(c => c.StartsWith("git fetch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_WithAZeroWindow_ChecksForEveryRun()
    {
        await FirstSyncAsync();

        for (var i = 0; i < 5; i++)
        {
            (await SyncAsync(TimeSpan.Zero)).ReusedCheckAge.ShouldBeNull();
        }

        RemoteChecks.ShouldBe(5);
        var pushed = await GitServerFixture.CommitToBareAsync(Bare, "main", new Dictionary<string, string> { ["v.txt"] = "two" });
        (await SyncAsync(TimeSpan.Zero)).Sha.ShouldBe(pushed, "with no window a push is seen by the very next run");
    }

    [Fact]
    public async Task Sync_ARunWithOtherCredentials_ChecksForItself()
    {
        await FirstSyncAsync();
        await SyncAsync(s_window);

        var other = await SyncAsync(s_window, credentials: new GitCredentials("deploy", "another-token", null, null));

        other.ReusedCheckAge.ShouldBeNull("a check made with other credentials says nothing about whether the server takes these");
        RemoteChecks.ShouldBe(2);
        (await SyncAsync(s_window)).ReusedCheckAge.ShouldNotBeNull();
        RemoteChecks.ShouldBe(2);
    }

    [Fact]
    public async Task Sync_PinnedCommit_NeverChecksTheRemote()
    {
        var sha = await FirstSyncAsync();
        _clock.Advance(TimeSpan.FromHours(1));

        (await SyncAsync(TimeSpan.Zero, commit: sha)).Sha.ShouldBe(sha);
        (await SyncAsync(s_window, commit: sha[..10])).Sha.ShouldBe(sha);

        RemoteChecks.ShouldBe(0);
        _commands.ShouldNotContain(c => c.StartsWith("git fetch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_AnotherProcessCheckedInsideTheWindow_TakesItsRecordFromTheFileNextToTheMirror()
    {
        var sha = await FirstSyncAsync();
        (await SyncAsync(s_window)).ReusedCheckAge.ShouldBeNull();
        RemoteChecks.ShouldBe(1);
        var cache = Cache();
        var record = RefCheckRecords.PathFor(cache.MirrorPath(Url), "refs/heads/main", GitCredentials.None);
        File.ReadAllText(record).ShouldStartWith(sha + " ");

        // What a second worker process on the same WEIR_HOME knows: the file, not this process's memory.
        RefCheckRecords.Forget(record);
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        var other = await SyncAsync(s_window, cache: cache);

        other.Sha.ShouldBe(sha);
        other.ReusedCheckAge.ShouldBe(TimeSpan.FromMilliseconds(400));
        RemoteChecks.ShouldBe(1);
    }

    [Fact]
    public async Task Sync_ARecordFromTheFuture_IsNotTrusted()
    {
        await FirstSyncAsync();
        var record = RefCheckRecords.PathFor(Cache().MirrorPath(Url), "refs/heads/main", GitCredentials.None);
        var later = _clock.GetUtcNow().AddMinutes(5).ToUnixTimeMilliseconds();
        File.WriteAllText(record, $"{new string('a', 40)} {later} refs/heads/main\n");
        RefCheckRecords.Forget(record);

        var result = await SyncAsync(s_window);

        result.ReusedCheckAge.ShouldBeNull("a check dated after now means the clock went back; the run checks for itself");
        RemoteChecks.ShouldBe(1);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
