using System.Security.Cryptography;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// One bare mirror per repository URL under the worker's cache. A sync costs one round trip when
/// the branch has not moved (<c>git ls-remote</c>) and none when a pinned commit is already there.
/// A file lock per mirror makes concurrent runs (and processes) of one repository safe.
/// </summary>
internal sealed class GitMirrorCache(string cacheDirectory)
{
    public string MirrorPath(GitUrl url)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.Url)))[..16];
        return Path.Combine(cacheDirectory, "git", $"{url.Name}-{hash}.git");
    }

    /// <summary>Brings the mirror up to date as needed and returns the commit to check out.</summary>
    public async Task<string> SyncAsync(GitUrl url, GitRunner git, GitCredentials credentials, string? branch, string? commit, Action<string>? progress, CancellationToken cancellationToken)
    {
        var mirror = MirrorPath(url);
        Directory.CreateDirectory(Path.GetDirectoryName(mirror)!);
        using var _ = await FileLocks.AcquireAsync(mirror + ".lock", cancellationToken).ConfigureAwait(false);

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
            var reference = branch is null ? "HEAD" : "refs/heads/" + branch;
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
            return await ResolveAsync(git, url, mirror, commit + "^{commit}", cancellationToken).ConfigureAwait(false)
                ?? throw new GitException($"the commit '{commit}' is not in {url}.");
        }

        if (branch is not null)
        {
            return await ResolveAsync(git, url, mirror, "refs/heads/" + branch, cancellationToken).ConfigureAwait(false)
                ?? throw new GitException($"the branch '{branch}' is not in {url}; its branches: {string.Join(", ", await BranchesAsync(git, url, mirror, cancellationToken).ConfigureAwait(false))}.");
        }

        return await ResolveAsync(git, url, mirror, "HEAD", cancellationToken).ConfigureAwait(false)
            ?? throw new GitException($"{url} has no commits on its default branch.");
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
