using Weir.Storage.Git;

namespace Weir.Storage.Steps;

/// <summary>
/// <c>git_clone</c>: checks out a repository's branch (or a pinned commit) into the run folder from
/// the worker's mirror cache, and makes it the working folder. <c>provider</c> (github, gitlab or
/// bitbucket) says the host's kind, which decides how a bare token is sent (a credentials block's type
/// says it too); code-first storages write it. <c>refresh_seconds</c> (default 1, 0 for every run) is how
/// long a check of the branch on the server serves the runs that start after it; <c>checkout</c> (auto,
/// shared or pool) how a worker's run gets the commit's files. Outputs <c>directory</c>,
/// <c>commit</c> (the SHA that was checked out), <c>repository</c> and <c>branch</c>.
/// </summary>
internal sealed class GitCloneStep : IStep
{
    public string Name => "git_clone";

    public IReadOnlyCollection<string> Arguments { get; } = ["repository", "branch", "commit", "access_token", "credentials", "provider", "include_submodules", "directories", "refresh_seconds", "checkout"];

    public async Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        var url = GitUrl.Parse(arguments.GetRequiredString("repository"));
        var branch = arguments.GetString("branch") is { Length: > 0 } b ? b : null;
        var commit = arguments.GetString("commit") is { Length: > 0 } c ? c : null;
        var window = RefreshWindow(arguments);
        var mode = Mode(arguments.GetString("checkout"));
        var accessToken = arguments.GetString("access_token");
        var block = arguments.Values.TryGetValue("credentials", out var raw) && raw is string text
            ? new Dictionary<string, object?> { ["_block_type"] = "secret", ["value"] = text }
            : arguments.GetMap("credentials");
        var credentials = GitCredentials.From(url, accessToken, block, arguments.GetString("provider"));
        context.Redactor.Add(credentials.Password);
        context.Redactor.Add(credentials.SshPassphrase);
        var directories = arguments.GetStringList("directories");
        var submodules = arguments.GetBool("include_submodules", false);

        using var git = new GitRunner(credentials, url.Authority);
        var cache = new GitMirrorCache(context.CacheDirectory, context.TimeProvider);
        var reuse = context.ReuseCheckouts && !submodules;
        if (mode == CheckoutMode.Auto)
        {
            // Runs that cannot write into their code by a relative path (the in-process pool) share it; others get their own.
            mode = context.FlowRunsInWorkingDirectory ? CheckoutMode.Pool : CheckoutMode.Shared;
        }

        var shared = reuse && mode == CheckoutMode.Shared ? new SharedCheckouts(context.CacheDirectory, url, directories) : null;
        string sha;
        TimeSpan? checkedAgo = null;
        if (commit is { Length: 40 or 64 } && commit.All(char.IsAsciiHexDigitLower) && shared?.IsReady(commit) == true)
        {
            // A run pinned to a commit this worker has checked out already (a retry): nothing to ask git or the server.
            sha = commit;
        }
        else
        {
            (sha, checkedAgo) = await cache.SyncAsync(url, git, credentials, branch, commit, window, context.Print, cancellationToken).ConfigureAwait(false);
        }

        string destination;
        if (shared is not null)
        {
            destination = await shared.LeaseAsync(sha, context.RunFolder, CheckOut, () => cache.RecordedTips(url), cancellationToken).ConfigureAwait(false);
        }
        else if (reuse)
        {
            // A checkout lent from the cache: reset to the commit and cleaned of anything a run left.
            (destination, var isNew) = await new CheckoutPool(context.CacheDirectory, url, directories).LendAsync(context.RunFolder, cancellationToken).ConfigureAwait(false);
            try
            {
                if (isNew)
                {
                    await CreateCheckoutAsync(git, url, cache.MirrorPath(url), destination, directories, cancellationToken).ConfigureAwait(false);
                }

                await ResetAsync(git, url, destination, sha, cancellationToken).ConfigureAwait(false);
            }
            catch (GitException) when (!isNew)
            {
                // A checkout left broken (a worker killed while writing it, a flow that damaged .git) is made again.
                await CreateCheckoutAsync(git, url, cache.MirrorPath(url), destination, directories, cancellationToken).ConfigureAwait(false);
                await ResetAsync(git, url, destination, sha, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            destination = Path.Combine(context.WorkingDirectory, branch is null ? url.Name : $"{url.Name}-{branch.Replace('/', '-')}");
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination, recursive: true);
            }

            await CreateCheckoutAsync(git, url, cache.MirrorPath(url), destination, directories, cancellationToken).ConfigureAwait(false);
            await git.RunAsync(destination, url, cancellationToken, "checkout", "--quiet", "--detach", sha).ConfigureAwait(false);
            if (submodules)
            {
                await git.RunAsync(destination, url, cancellationToken, "submodule", "update", "--init", "--recursive", "--quiet").ConfigureAwait(false);
            }
        }

        var how = branch is null ? string.Empty : $"branch {branch}";
        if (checkedAgo is { } ago)
        {
            how += (how.Length > 0 ? ", " : string.Empty) + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"as a check {ago.TotalSeconds:0.##} s ago found it");
        }

        context.Print($"Checked out {url} at {sha[..12]}" + (how.Length > 0 ? $" ({how})" : string.Empty));
        context.WorkingDirectory = destination;
        return new Dictionary<string, object?>
        {
            ["directory"] = destination,
            ["commit"] = sha,
            ["repository"] = url.Url,
            ["branch"] = branch,
        };

        // Makes the shared checkout of the commit (once per commit, under the lock of its folder).
        async Task CheckOut(string path, CancellationToken token)
        {
            await CreateCheckoutAsync(git, url, cache.MirrorPath(url), path, directories, token).ConfigureAwait(false);
            await git.RunAsync(path, url, token, "checkout", "--quiet", "--detach", sha).ConfigureAwait(false);
        }
    }

    private static TimeSpan RefreshWindow(StepArguments arguments)
    {
        var seconds = arguments.GetNumber("refresh_seconds", 1);
        return seconds >= 0 && double.IsFinite(seconds) && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new StepException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"'refresh_seconds' is {seconds}; write how many seconds a check of the branch serves the runs after it (1 by default), or 0 to check for every run."));
    }

    private static CheckoutMode Mode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => CheckoutMode.Auto,
        "shared" => CheckoutMode.Shared,
        "pool" => CheckoutMode.Pool,
        _ => throw new StepException($"'checkout' is '{text}'; write auto (the default), shared (one read-only checkout per commit, shared by its runs) or pool (a checkout of the run's own, reset and cleaned for each run)."),
    };

    private static async Task ResetAsync(GitRunner git, GitUrl url, string destination, string sha, CancellationToken cancellationToken)
    {
        await git.RunAsync(destination, url, cancellationToken, "checkout", "--quiet", "--force", "--detach", sha).ConfigureAwait(false);
        await git.RunAsync(destination, url, cancellationToken, "clean", "-ffdxq").ConfigureAwait(false);
    }

    private static async Task CreateCheckoutAsync(GitRunner git, GitUrl url, string mirror, string destination, IReadOnlyList<string> directories, CancellationToken cancellationToken)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        await git.RunAsync(null, url, cancellationToken, "clone", "--quiet", "--shared", "--no-checkout", mirror, destination).ConfigureAwait(false);
        await git.RunAsync(destination, url, cancellationToken, "remote", "set-url", "origin", url.Url).ConfigureAwait(false);
        if (directories.Count > 0)
        {
            await git.RunAsync(destination, url, cancellationToken, ["sparse-checkout", "set", "--cone", .. directories]).ConfigureAwait(false);
        }
    }
}
