namespace Weir.Bench;

/// <summary>
/// A git server on 127.0.0.1 (tests/infra/git-server.sh: nginx + git-http-backend, basic auth) holding
/// repositories the bench writes, for deployments whose code is git-stored. One user, a token as its password.
/// </summary>
internal sealed class BenchGitServer(InfraServer server) : IAsyncDisposable
{
    public const string Token = "bench-token-0123456789";

    public string BaseUrl => server.Url;

    public static async Task<BenchGitServer> StartAsync(string home)
    {
        var directory = Directory.CreateDirectory(Path.Combine(home, "git-server")).FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "users"), $"x-access-token:{{PLAIN}}{Token}\n");
        return new BenchGitServer(await InfraServer.StartOnFreePortAsync("git-server.sh", directory));
    }

    /// <summary>The URL a repository of this name is served at.</summary>
    public string UrlOf(string name) => $"{BaseUrl}/{name}.git";

    /// <summary>Commits the files of <paramref name="workTree"/> on branch main and pushes them to a new served repository (<see cref="UrlOf"/>).</summary>
    public async Task PublishAsync(string name, string workTree)
    {
        var bare = Path.Combine(server.Directory, "repos", name + ".git");
        await Git.InitBareAsync(bare);
        await Git.CommitAndPushAsync(workTree, bare, "the bench's flows");
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
