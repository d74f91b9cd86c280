using System.Security.Cryptography;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// One bare mirror per repository URL under the worker's cache. A sync costs one round trip when
/// the branch has not moved (one GET of the refs, or <c>git ls-remote</c>), none when a pinned commit is
/// already there, and none either within the refresh window after a check of the same branch by any run
/// on this <c>WEIR_HOME</c> (<see cref="RefCheckRecords"/>). A file lock per mirror makes concurrent runs
/// (and processes) of one repository safe, and makes the runs that arrive while a check is under way wait
/// for it and take its answer instead of each asking the server again.
/// </summary>
internal sealed class GitMirrorCache(string cacheDirectory, TimeProvider time)
{
    public string MirrorPath(GitUrl url)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.Url)))[..16];
        return Path.Combine(cacheDirectory, "git", $"{url.Name}-{hash}.git");
    }

    /// <summary>
    /// Brings the mirror up to date as needed and returns the commit to check out, with the age of the remote
    /// check it relied on when that check was another run's (null when this call checked, or the commit was pinned).
    /// A <paramref name="refreshWindow"/> of zero checks the remote every time.
    /// </summary>
    public async Task<(string Sha, TimeSpan? ReusedCheckAge)> SyncAsync(GitUrl url, GitRunner git, GitCredentials credentials, string? branch, string? commit, TimeSpan refreshWindow, Action<string>? progress, CancellationToken cancellationToken)
    {
        var mirror = MirrorPath(url);
        var reference = branch is null ? "HEAD" : "refs/heads/" + branch;
        var record = RefCheckRecords.PathFor(mirror, reference, credentials);
        var arrival = time.GetUtcNow();
        if (commit is null && Directory.Exists(mirror) && Recent(record, arrival, refreshWindow) is { } recent)
        {
            return (recent.Sha, arrival - recent.Started);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(mirror)!);
        using var _ = await FileLocks.AcquireAsync(mirror + ".lock", cancellationToken).ConfigureAwait(false);
        if (commit is null && Recent(record, arrival, refreshWindow) is { } meanwhile)
        {
            // Checked by another run (of this process or another) while this one waited for the lock.
            return (meanwhile.Sha, arrival - meanwhile.Started);
        }

        var started = time.GetUtcNow();
        if (!Directory.Exists(mirror))
        {
            progress?.Invoke($"Cloning {url} into the worker's cache (first use)...");
            var staging = mirror + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            await git.RunAsync(null, url, cancellationToken, "clone", "--mirror", "--quiet", url.Url, staging).ConfigureAwait(false);
            Directory.Move(staging, mirror);
        }
        else if (commit is not null)
        {
            if (await ResolveAsync(git, url, mirror, commit + "^{commit}", cancellationToken).ConfigureAwait(false) is null)
            {
                await FetchAsync(git, url, mirror, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var remote = await SmartHttpRefs.ResolveAsync(url, credentials, branch, cancellationToken).ConfigureAwait(false)
                ?? (await git.RunAsync(null, url, cancellationToken, "ls-remote", url.Url, reference).ConfigureAwait(false))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).FirstOrDefault();
            var local = await ResolveAsync(git, url, mirror, reference, cancellationToken).ConfigureAwait(false);
            if (remote is null || remote != local)
            {
                await FetchAsync(git, url, mirror, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        if (commit is not null)
        {
            return (await ResolveAsync(git, url, mirror, commit + "^{commit}", cancellationToken).ConfigureAwait(false)
                ?? throw new GitException($"the commit '{commit}' is not in {url}."), null);
        }

        var sha = await ResolveAsync(git, url, mirror, reference, cancellationToken).ConfigureAwait(false);
        if (sha is null)
        {
            throw branch is null
                ? new GitException($"{url} has no commits on its default branch.")
                : new GitException($"the branch '{branch}' is not in {url}; its branches: {string.Join(", ", await BranchesAsync(git, url, mirror, cancellationToken).ConfigureAwait(false))}.");
        }

        RefCheckRecords.Save(record, reference, new RefCheck(sha, started));
        return (sha, null);
    }

    /// <summary>The commits <paramref name="url"/>'s branches had when last checked on this <c>WEIR_HOME</c>.</summary>
    public IReadOnlySet<string> RecordedTips(GitUrl url) => RefCheckRecords.Tips(MirrorPath(url));

    private RefCheck? Recent(string record, DateTimeOffset arrival, TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (RefCheckRecords.Remembered(record) is { } remembered && remembered.Covers(arrival, now, window))
        {
            return remembered;
        }

        return RefCheckRecords.Read(record) is { } saved && saved.Covers(arrival, now, window) ? saved : null;
    }

    private static async Task FetchAsync(GitRunner git, GitUrl url, string mirror, Action<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Invoke($"Fetching {url}...");
        await git.RunAsync(mirror, url, cancellationToken, "fetch", "--prune", "--quiet", "origin").ConfigureAwait(false);
    }

    private static async Task<string?> ResolveAsync(GitRunner git, GitUrl url, string mirror, string revision, CancellationToken cancellationToken)
    {
        if ((revision == "HEAD" || revision.StartsWith("refs/", StringComparison.Ordinal)) && LocalRefs.Resolve(mirror, revision) is { } fromFiles)
        {
            return fromFiles;
        }

        try
        {
            var sha = (await git.RunAsync(mirror, url, cancellationToken, "rev-parse", "--verify", "--quiet", revision).ConfigureAwait(false)).Trim();
            return sha.Length > 0 ? sha : null;
        }
        catch (GitException)
        {
            return null;
        }
    }

    private static async Task<IEnumerable<string>> BranchesAsync(GitRunner git, GitUrl url, string mirror, CancellationToken cancellationToken) =>
        (await git.RunAsync(mirror, url, cancellationToken, "for-each-ref", "--format=%(refname:short)", "refs/heads").ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
