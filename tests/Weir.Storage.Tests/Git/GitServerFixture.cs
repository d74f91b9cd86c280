namespace Weir.Storage.Tests.Git;

/// <summary>
/// A real git server over HTTP with basic auth on 127.0.0.1 (nginx + fcgiwrap + git-http-backend),
/// started once for the collection by tests/infra/git-server.sh, stopped by PID at the end.
/// </summary>
public sealed class GitServerFixture() : InfraServerFixture("git-server.sh")
{
    public const string GitHubToken = "ghp_githubToken0123456789";
    public const string GitLabAccessToken = "glpat-gitlabAccess98765";
    public const string GitLabDeployUser = "gitlab+deploy-token-1";
    public const string GitLabDeployToken = "gldt-deployToken55555";
    public const string BitbucketCloudToken = "bbcloud-token-44444444";
    public const string BitbucketServerUser = "jsmith";
    public const string BitbucketServerToken = "bbserver-token-3333333";

    // Realms: repositories under /gitlab/ and /bitbucket/ accept only the user names that kind of host uses.
    public const string RealmDeployUser = "deploy-user";
    public const string RealmDeployToken = "gldt-realmDeploy77777";
    public const string RealmAppUser = "app-user";
    public const string RealmAppPassword = "bb-app-password-2222";

    public string BaseUrl => Endpoint;

    protected override async Task PrepareAsync()
    {
        await File.WriteAllLinesAsync(Path.Combine(Directory, "users"),
        [
            $"x-access-token:{{PLAIN}}{GitHubToken}",
            $"oauth2:{{PLAIN}}{GitLabAccessToken}",
            $"{GitLabDeployUser}:{{PLAIN}}{GitLabDeployToken}",
            $"x-token-auth:{{PLAIN}}{BitbucketCloudToken}",
            $"{BitbucketServerUser}:{{PLAIN}}{BitbucketServerToken}",
        ]);
        var realms = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "realms")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(realms, "gitlab"),
        [
            $"oauth2:{{PLAIN}}{GitLabAccessToken}",
            $"{RealmDeployUser}:{{PLAIN}}{RealmDeployToken}",
        ]);
        await File.WriteAllLinesAsync(Path.Combine(realms, "bitbucket"),
        [
            $"x-token-auth:{{PLAIN}}{BitbucketCloudToken}",
            $"{BitbucketServerUser}:{{PLAIN}}{BitbucketServerToken}",
            $"{RealmAppUser}:{{PLAIN}}{RealmAppPassword}",
        ]);
    }

    /// <summary>Creates (or adds a commit to) a repository on the server; returns the new commit's SHA.</summary>
    public Task<string> CommitAsync(string repository, string branch, IReadOnlyDictionary<string, string> files, string message = "change") =>
        CommitToBareAsync(Path.Combine(Directory, "repos", repository + ".git"), branch, files, message);

    /// <summary>Creates (or adds a commit to) the bare repository at <paramref name="bare"/>; returns the new commit's SHA.</summary>
    public static async Task<string> CommitToBareAsync(string bare, string branch, IReadOnlyDictionary<string, string> files, string message = "change")
    {
        if (!System.IO.Directory.Exists(bare))
        {
            await Weir.Testing.Git.InitBareAsync(bare);
        }

        var work = System.IO.Directory.CreateTempSubdirectory("weir-git-work-").FullName;
        await Shell.RunAsync("git", "clone", "--quiet", bare, work);
        var exists = (await Weir.Testing.Git.RunAsync(work, "ls-remote", "origin", "refs/heads/" + branch)).Length > 0;
        if (exists)
        {
            await Weir.Testing.Git.RunAsync(work, "checkout", "--quiet", branch);
        }
        else
        {
            await Weir.Testing.Git.RunAsync(work, "checkout", "--quiet", "--orphan", branch);
        }

        foreach (var (path, content) in files)
        {
            var full = Path.Combine(work, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await Weir.Testing.Git.RunAsync(work, "add", "-A");
        await Weir.Testing.Git.RunAsync(work, "-c", "user.email=t@weir.test", "-c", "user.name=tests", "commit", "--quiet", "--allow-empty", "-m", message);
        await Weir.Testing.Git.RunAsync(work, "push", "--quiet", "origin", "HEAD:refs/heads/" + branch);
        var sha = (await Weir.Testing.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        System.IO.Directory.Delete(work, recursive: true);
        return sha;
    }

    /// <summary>Adds a submodule entry (a gitlink) pointing at another repository on this server.</summary>
    public async Task<string> AddSubmoduleAsync(string repository, string path, string submoduleRepository, string submoduleSha)
    {
        var bare = Path.Combine(Directory, "repos", repository + ".git");
        var work = System.IO.Directory.CreateTempSubdirectory("weir-git-work-").FullName;
        await Shell.RunAsync("git", "clone", "--quiet", bare, work);
        await File.WriteAllTextAsync(Path.Combine(work, ".gitmodules"), $"[submodule \"{path}\"]\n\tpath = {path}\n\turl = {BaseUrl}/{submoduleRepository}.git\n");
        await Weir.Testing.Git.RunAsync(work, "update-index", "--add", "--cacheinfo", $"160000,{submoduleSha},{path}");
        await Weir.Testing.Git.RunAsync(work, "add", ".gitmodules");
        await Weir.Testing.Git.RunAsync(work, "-c", "user.email=t@weir.test", "-c", "user.name=tests", "commit", "--quiet", "-m", "add submodule");
        await Weir.Testing.Git.RunAsync(work, "push", "--quiet", "origin", "HEAD");
        var sha = (await Weir.Testing.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        System.IO.Directory.Delete(work, recursive: true);
        return sha;
    }
}
