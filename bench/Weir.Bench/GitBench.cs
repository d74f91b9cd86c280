using System.Text;
using Weir.Storage.Config;
using Weir.Storage.Steps;
using Weir.Storage.Templating;

namespace Weir.Bench;

/// <summary>
/// The <c>git_clone</c> pull step on a re-run with unchanged code against a fresh
/// <c>git clone --depth 1</c> of the same repository: a generated repository of 5,000 files and
/// 300 commits, served over HTTP with basic auth on 127.0.0.1 by tests/infra/git-server.sh.
/// </summary>
internal static class GitBench
{
    private const int Files = 5000;
    private const int Commits = 300;
    private const int Runs = 15;
    private const string Token = "bench-token-0123456789";

    public static async Task<string> RunAsync()
    {
        var home = Repo.TempHome("git");
        var server = Path.Combine(home, "server");
        Directory.CreateDirectory(server);
        await File.WriteAllTextAsync(Path.Combine(server, "users"), $"x-access-token:{{PLAIN}}{Token}\n");
        var git = await InfraServer.StartOnFreePortAsync("git-server.sh", server);
        var baseUrl = git.Url;
        try
        {
            var bare = Path.Combine(server, "repos", "big.git");
            await GenerateAsync(bare);
            var url = $"{baseUrl}/big.git";

            var clones = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                var target = Path.Combine(home, "clone" + i);
                var clock = Stopwatch.StartNew();
                await BenchProcesses.RunAsync("git", ["-c", "credential.helper=", "clone", "--quiet", "--depth", "1", url.Replace("http://", $"http://x-access-token:{Token}@", StringComparison.Ordinal), target], home, []);
                clones.Add(clock.Elapsed.TotalMilliseconds);
                Directory.Delete(target, recursive: true);
            }

            var cache = Path.Combine(home, "cache");
            var first = await PullAsync(home, cache, url);
            var reruns = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                reruns.Add(await PullAsync(home, cache, url));
            }

            var ratio = Stats.Median(reruns) / Stats.Median(clones);
            return $"""
                ## Git storage: re-run pull vs a fresh clone

                A generated repository of {Files:N0} files and {Commits} commits, served over HTTP with basic auth by nginx +
                git-http-backend on 127.0.0.1 (`tests/infra/git-server.sh`). The `git_clone` pull step with a token, run in a
                fresh run folder each time with the worker's cache kept, against `git clone --depth 1` of the same URL;
                median of {Runs} each.

                | case | median | min | max |
                |---|---|---|---|
                | `git clone --depth 1` | {Stats.F(Stats.Median(clones), "0")} ms | {Stats.F(clones.Min(), "0")} ms | {Stats.F(clones.Max(), "0")} ms |
                | `git_clone` step, first run (fills the cache) | {Stats.F(first, "0")} ms | | |
                | `git_clone` step, re-run with unchanged code | {Stats.F(Stats.Median(reruns), "0")} ms | {Stats.F(reruns.Min(), "0")} ms | {Stats.F(reruns.Max(), "0")} ms |

                Re-run pull / fresh clone: **{Stats.F(ratio, "0.00")}** (goal ≤ 0.1).
                """;
        }
        finally
        {
            await git.DisposeAsync();
        }
    }

    private static async Task<double> PullAsync(string home, string cache, string url)
    {
        var runFolder = Path.Combine(home, "runs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(runFolder);
        var context = new StepContext(runFolder, cache) { ReuseCheckouts = true };
        var yaml = $"- git_clone:\n    repository: {url}\n    branch: main\n    access_token: {Token}\n";
        var steps = StepDefinition.ReadList(YamlConfigReader.Read(yaml, "weir.yaml"), "pull");
        var clock = Stopwatch.StartNew();
        await new StepRunner(StepRegistry.CreateDefault()).RunAsync(steps, context, new TemplateScope(), CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (!File.Exists(Path.Combine(context.WorkingDirectory, "src", "m000", "f0000.cs")))
        {
            throw new InvalidOperationException("The pull step did not check out the repository's files.");
        }

        Directory.Delete(runFolder, recursive: true);
        return elapsed;
    }

    /// <summary>Writes the repository with git fast-import: the files in the first commit, then commits that each change a few.</summary>
    private static async Task GenerateAsync(string bare)
    {
        await BenchProcesses.RunAsync("git", ["init", "--quiet", "--bare", "--initial-branch=main", bare], Repo.Root, []);
        var stream = new StringBuilder();
        var time = 1_700_000_000L;
        for (var commit = 0; commit < Commits; commit++)
        {
            var message = $"commit {commit}";
            stream.Append(CultureInfo.InvariantCulture, $"commit refs/heads/main\ncommitter Bench <bench@weir.test> {time + commit} +0000\ndata {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            IEnumerable<int> files = commit == 0 ? Enumerable.Range(0, Files) : Enumerable.Range(0, 20).Select(i => ((commit * 37) + (i * 251)) % Files);
            foreach (var file in files)
            {
                var content = $"// file {file}, version {commit}\nnamespace M{file / 100:000};\npublic static class F{file:0000} {{ public static int Value => {file}; }}\n";
                stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline src/m{file / 100:000}/f{file:0000}.cs\ndata {Encoding.UTF8.GetByteCount(content)}\n{content}\n");
            }
        }

        var start = new ProcessStartInfo("git") { WorkingDirectory = bare, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("fast-import");
        start.ArgumentList.Add("--quiet");
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stream.ToString());
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("git fast-import failed: " + await errors);
        }
    }
}
