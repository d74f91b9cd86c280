namespace Weir.Testing;

/// <summary>The machine's git, for the repositories tests deploy from.</summary>
public static class Git
{
    /// <summary>Runs <c>git ARGUMENTS</c> in <paramref name="directory"/>; its output (a non-zero exit is an error).</summary>
    public static Task<string> RunAsync(string directory, params string[] arguments) => Shell.RunInAsync(directory, "git", arguments);

    /// <summary>Creates an empty bare repository whose default branch is main.</summary>
    public static Task InitBareAsync(string bare) => Shell.RunAsync("git", "init", "--quiet", "--bare", "--initial-branch=main", bare);

    /// <summary>Commits everything in <paramref name="workTree"/> (a repository on branch main from the first call on) as the tests' author; the commit's SHA.</summary>
    public static async Task<string> CommitAllAsync(string workTree, string message)
    {
        if (!Directory.Exists(Path.Combine(workTree, ".git")))
        {
            await RunAsync(workTree, "init", "--quiet", "--initial-branch=main").ConfigureAwait(false);
        }

        await RunAsync(workTree, "add", "--all").ConfigureAwait(false);
        await RunAsync(workTree, "-c", "user.email=t@weir.test", "-c", "user.name=tests", "commit", "--quiet", "-m", message).ConfigureAwait(false);
        return (await RunAsync(workTree, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
    }

    /// <summary><see cref="CommitAllAsync"/>, then pushes main to the bare repository <paramref name="bare"/>.</summary>
    public static async Task<string> CommitAndPushAsync(string workTree, string bare, string message)
    {
        var sha = await CommitAllAsync(workTree, message).ConfigureAwait(false);
        await RunAsync(workTree, "push", "--quiet", bare, "main").ConfigureAwait(false);
        return sha;
    }
}
