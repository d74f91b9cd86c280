using System.Globalization;

namespace Weir.Bench;

/// <summary>
/// A git server on 127.0.0.1 (tests/infra/git-server.sh: nginx + git-http-backend, basic auth) holding
/// repositories the bench writes, for deployments whose code is git-stored. One user, a token as its password.
/// </summary>
internal sealed class BenchGitServer : IAsyncDisposable
{
    public const string Token = "bench-token-0123456789";
    private static readonly string s_script = Path.Combine(Repo.Root, "tests", "infra", "git-server.sh");
    private readonly string _directory;

    private BenchGitServer(string directory, string baseUrl)
    {
        _directory = directory;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<BenchGitServer> StartAsync(string home)
    {
        var directory = Path.Combine(home, "git-server");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "users"), $"x-access-token:{{PLAIN}}{Token}\n");
        var baseUrl = (await BenchProcesses.ShellAsync(s_script, "start", directory, BenchProcesses.FreePort().ToString(CultureInfo.InvariantCulture))).Trim().Split('\n')[^1];
        return new BenchGitServer(directory, baseUrl);
    }

    /// <summary>The URL a repository of this name is served at.</summary>
    public string UrlOf(string name) => $"{BaseUrl}/{name}.git";

    /// <summary>Commits the files of <paramref name="workTree"/> on branch main and pushes them to a new served repository (<see cref="UrlOf"/>).</summary>
    public async Task PublishAsync(string name, string workTree)
    {
        var bare = Path.Combine(_directory, "repos", name + ".git");
        await GitAsync(Repo.Root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
        await GitAsync(workTree, "init", "--quiet", "--initial-branch=main");
        await GitAsync(workTree, "add", "--all");
        await GitAsync(workTree, "-c", "user.name=Bench", "-c", "user.email=bench@weir.test", "commit", "--quiet", "-m", "the bench's flows");
        await GitAsync(workTree, "push", "--quiet", bare, "main");
    }

    public async ValueTask DisposeAsync() => await BenchProcesses.ShellAsync(s_script, "stop", _directory);

    private static Task<string> GitAsync(string directory, params string[] args) => BenchProcesses.RunAsync("git", args, directory, []);
}
