using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Weir.Server;

namespace Weir.Ui.Tests;

/// <summary>
/// For the whole collection: a real Weir server (SQLite, 127.0.0.1, free port, no API key), a real worker
/// process (<c>weir worker start</c>), a git repository with a flow deployed from it by <c>weir deploy</c>
/// (git storage over file://, its token a Secret block referenced from the pull step), a second server
/// that has an API key (for the login page), and Debian's Chromium driven by Playwright (never a
/// downloaded browser: tests/infra/chromium.sh installs the apt package when it is missing).
/// </summary>
public sealed class UiFixture : IAsyncLifetime
{
    public const string Pool = "ui-test";
    public const string Deployment = "ui-example/ui";
    public const string AdminKey = "ui-test-admin-key-5f1c";

    /// <summary>A secret block's value that no page may ever contain.</summary>
    public const string SecretValue = "s3cr3t-ui-token-9d27e4";

    private readonly List<string> _workerLines = [];
    private Process? _worker;
    private IPlaywright? _playwright;

    public string Home { get; } = Directory.CreateTempSubdirectory("weir-ui-home-").FullName;

    public string Project { get; } = Directory.CreateTempSubdirectory("weir-ui-project-").FullName;

    public WeirServer Server { get; private set; } = null!;

    public WeirServer KeyedServer { get; private set; } = null!;

    public IBrowserContext Browser { get; private set; } = null!;

    /// <summary>The commit the deployment's runs check out.</summary>
    public string Commit { get; private set; } = "";

    public string WorkerLog
    {
        get
        {
            lock (_workerLines)
            {
                return string.Join('\n', _workerLines);
            }
        }
    }

    public static string Root { get; } = FindRoot();

    public static string Screenshots { get; } = Path.Combine(Root, "artifacts", "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        var chromium = (await RunAsync("bash", Root, [Path.Combine(Root, "tests", "infra", "chromium.sh"), "install"])).Trim().Split('\n')[^1];

        Server = await WeirServer.StartAsync(new WeirServerOptions { Port = 0, WeirHome = Path.Combine(Home, "server"), ApiKey = null, WorkerApiKeys = [] });
        KeyedServer = await WeirServer.StartAsync(new WeirServerOptions { Port = 0, WeirHome = Path.Combine(Home, "keyed"), ApiKey = AdminKey, WorkerApiKeys = [] });
        await Server.Store.PutBlockAsync("secret", "ui-repo-token", new JsonObject { ["value"] = SecretValue }, CancellationToken.None);
        await Server.Store.PutVariableAsync("ui-greeting", "hello from a variable", CancellationToken.None);

        await CreateRepositoryAsync();
        var deploy = await CliAsync(Project, "deploy", "ui");
        deploy.ExitCode.ShouldBe(0, deploy.Output);

        _worker = Process.Start(CliStart(Home, ["worker", "start", "--pool", Pool, "--limit", "2", "--name", "ui-worker"]))!;
        _worker.OutputDataReceived += (_, e) => Record(e.Data);
        _worker.ErrorDataReceived += (_, e) => Record(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(Path.Combine(Home, "chromium-profile"), new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_worker is { HasExited: false })
        {
            _worker.Kill(entireProcessTree: true);
            await _worker.WaitForExitAsync();
        }

        await Server.DisposeAsync();
        await KeyedServer.DisposeAsync();
        foreach (var dir in new[] { Home, Project })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Waits until the worker has heart-beaten (so the dashboard lists it).</summary>
    public async Task WaitForWorkerAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var pools = await Server.Store.ListPoolsAsync(CancellationToken.None);
            if (pools.Any(p => p.Name == Pool && p.Workers.Count > 0))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The worker never heart-beat: " + WorkerLog);
    }

    private async Task CreateRepositoryAsync()
    {
        Directory.CreateDirectory(Path.Combine(Project, "flows"));
        await File.WriteAllTextAsync(Path.Combine(Project, "flows", "ui_flow.cs"), """
            using Weir;

            public static class UiFlow
            {
                [Task]
                public static int[] GetData(int count) => Enumerable.Range(1, count).ToArray();

                [Task]
                public static void PrintData(int[] data) => Console.WriteLine("ui-test data: " + string.Join(", ", data));

                [Flow("ui-example")]
                public static void Example(int limit = 5, string greeting = "hello")
                {
                    Console.WriteLine("greeting: " + greeting);
                    PrintData(GetData(limit));
                }
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(Project, "weir.yaml"), $$$"""
            name: ui-test
            pull:
            - git_clone:
                id: clone
                repository: file://{{{Project}}}
                branch: main
                access_token: '{{ weir.blocks.secret.ui-repo-token }}'
            deployments:
            - name: ui
              entrypoint: flows/ui_flow.cs:ui-example
              work_pool: { name: {{{Pool}}} }
              parameters: { limit: 3 }
              description: The web UI's end-to-end test flow.
            """);
        await RunAsync("git", Project, ["init", "-q", "-b", "main"]);
        await RunAsync("git", Project, ["add", "."]);
        await RunAsync("git", Project, ["-c", "user.email=ui@weir.test", "-c", "user.name=ui", "commit", "-q", "-m", "UI test flow"]);
        Commit = (await RunAsync("git", Project, ["rev-parse", "HEAD"])).Trim();
    }

    private ProcessStartInfo CliStart(string home, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["WEIR_HOME"] = home;
        start.Environment["WEIR_API_URL"] = Server.Url.ToString().TrimEnd('/');
        start.Environment.Remove("WEIR_API_KEY");
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private async Task<(int ExitCode, string Output)> CliAsync(string workingDirectory, params string[] args)
    {
        var start = CliStart(Home, args);
        start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<string> RunAsync(string file, string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {output}{await stderr}");
        }

        return output;
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_workerLines)
            {
                _workerLines.Add(line);
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weir.slnx was not found above " + AppContext.BaseDirectory);
    }
}
