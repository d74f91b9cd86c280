using System.Text;

namespace Weir.IntegrationTests;

/// <summary>
/// A private git repository's token goes from a Secret block to git and nowhere else. The whole loop
/// runs for real (git over HTTP with basic auth, <c>weir server start</c>, <c>weir deploy</c>,
/// <c>weir worker start</c>, two runs with a push between them) while every process's command line
/// on the machine is captured; then the run folders, the mirror cache, the worker's and the server's
/// logs, the database, the CLI's output and those command lines are searched for the token.
/// </summary>
public sealed class TokenScanTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("weir-token-scan-").FullName;
    private readonly string _token = "wsecret-" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
    private readonly List<string> _cliOutput = [];
    private readonly Dictionary<int, string> _commandLines = [];
    private readonly List<RunningProcess> _processes = [];
    private InfraServer _git = null!;

    private string GitFolder => Path.Combine(_root, "git");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(GitFolder);
        await File.WriteAllTextAsync(Path.Combine(GitFolder, "users"), $"x-access-token:{{PLAIN}}{_token}\n");
        _git = await InfraServer.StartOnFreePortAsync("git-server.sh", GitFolder);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _git.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task TheRepositoryToken_AppearsInNoFileLogDatabaseOutputOrCommandLine()
    {
        using var scan = new CancellationTokenSource();
        var capture = Task.Run(() => CaptureCommandLines(scan.Token));
        var serverHome = Path.Combine(_root, "server");
        var workerHome = Path.Combine(_root, "worker");
        var cliHome = Path.Combine(_root, "cli");
        var port = FreePort.Next();
        var api = new Uri($"http://127.0.0.1:{port}");
        var server = await new WeirCli(serverHome).StartServerAsync(_root, port, TimeSpan.FromSeconds(60));
        _processes.Add(server);

        var project = Path.Combine(_root, "project");
        var bare = Path.Combine(GitFolder, "repos", "flows.git");
        await Git.InitBareAsync(bare);
        await ProjectFiles.WriteFlowAsync(project, "my_flow.cs", Flow("first"));
        await ProjectFiles.WriteWeirYamlAsync(project, $$$"""
            name: scan
            pull:
            - git_clone:
                repository: {{{_git.Url}}}/flows.git
                branch: main
                access_token: '{{ weir.blocks.secret.repo-token }}'
            deployments:
            - name: private
              entrypoint: flows/my_flow.cs:example
              work_pool: { name: scan }
            """);
        await Git.CommitAndPushAsync(project, bare, "first");

        (await CliAsync(cliHome, api, project, _token, "secret", "set", "repo-token")).ShouldBe(0, string.Join('\n', _cliOutput));
        (await CliAsync(cliHome, api, project, null, "deploy", "private")).ShouldBe(0, string.Join('\n', _cliOutput));
        var worker = new WeirCli(workerHome, api).Start(_root, ["worker", "start", "--pool", "scan", "--limit", "2"]);
        _processes.Add(worker);

        (await CliAsync(cliHome, api, project, null, "deployment", "run", "example/private", "--watch")).ShouldBe(0, string.Join('\n', _cliOutput) + worker.Output);
        await ProjectFiles.WriteFlowAsync(project, "my_flow.cs", Flow("second"));
        await Git.CommitAndPushAsync(project, bare, "second");
        // Workers ask the git server about a branch at most once per refresh window (1 s by default): wait it out.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        (await CliAsync(cliHome, api, project, null, "deployment", "run", "example/private", "--watch")).ShouldBe(0, string.Join('\n', _cliOutput) + worker.Output);

        var output = string.Join('\n', _cliOutput);
        output.ShouldContain("first: 1, 2, 3");
        output.ShouldContain("second: 1, 2, 3");

        await scan.CancelAsync();
        await capture;
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        var hits = new List<string>();
        var needle = Encoding.UTF8.GetBytes(_token);
        var files = 0;
        foreach (var home in new[] { serverHome, workerHome, cliHome, project })
        {
            foreach (var file in Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories))
            {
                files++;
                if ((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(needle) >= 0)
                {
                    hits.Add(file);
                }
            }
        }

        foreach (var (name, lines) in new[] { ("server log", server.Lines.ToList()), ("worker log", worker.Lines.ToList()), ("CLI output", _cliOutput) })
        {
            lock (lines)
            {
                hits.AddRange(lines.Where(l => l.Contains(_token, StringComparison.Ordinal)).Select(l => $"{name}: {l.Replace(_token, "<token>", StringComparison.Ordinal)}"));
            }
        }

        hits.AddRange(_commandLines.Values.Where(c => c.Contains(_token, StringComparison.Ordinal)).Select(c => "command line: " + c.Replace(_token, "<token>", StringComparison.Ordinal)));

        hits.ShouldBeEmpty();
        Directory.EnumerateFiles(Path.Combine(workerHome, "cache"), "*", SearchOption.AllDirectories).ShouldNotBeEmpty("the mirror cache was searched");
        files.ShouldBeGreaterThan(20);
        _commandLines.Values.ShouldContain(c => c.StartsWith("git", StringComparison.Ordinal) && c.Contains("flows.git", StringComparison.Ordinal), "git's command lines were captured");
        _commandLines.Values.ShouldContain(c => c.Contains(Weir.Worker.FlowProcessCommand.RunnerName, StringComparison.Ordinal), "the flow processes' command lines were captured");
    }

    private static string Flow(string printed) => $$"""
        using Weir;
        public static class MyFlow
        {
            [Task]
            public static int[] GetData() => [1, 2, 3];

            [Task]
            public static void PrintData(int[] data) => Console.WriteLine("{{printed}}: " + string.Join(", ", data));

            [Flow("example")]
            public static void Example() => PrintData(GetData());
        }
        """;

    /// <summary>Reads every process's command line over and over until cancelled (arguments separated by spaces).</summary>
    private void CaptureCommandLines(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                try
                {
                    var line = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                    if (line.Length > 0)
                    {
                        lock (_commandLines)
                        {
                            _commandLines[pid] = _commandLines.TryGetValue(pid, out var seen) && seen != line ? seen + " | " + line : line;
                        }
                    }
                }
                catch (IOException)
                {
                    // The process ended while being read.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            Thread.Sleep(2);
        }
    }

    private async Task<int> CliAsync(string home, Uri api, string workingDirectory, string? input, params string[] args)
    {
        var result = await new WeirCli(home, api) { Timeout = TimeSpan.FromMinutes(3) }.RunAsync(workingDirectory, args, input);
        lock (_cliOutput)
        {
            _cliOutput.AddRange([.. result.Stdout.Split('\n'), .. result.Stderr.Split('\n')]);
        }

        return result.ExitCode;
    }
}
