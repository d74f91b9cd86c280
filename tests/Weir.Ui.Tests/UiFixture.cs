using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Weir.Ui.Tests;

/// <summary>
/// For the whole collection: a real Weir server (SQLite, 127.0.0.1, free port, no API key), a real worker
/// process (<c>weir worker start</c>), a git repository with a flow deployed from it by <c>weir deploy</c>
/// (git storage over file://, its token a Secret block referenced from the pull step), a second server
/// that has an API key (for the login page), and Debian's Chromium driven by Playwright (never a
/// downloaded browser: tests/infra/chromium.sh installs the apt package when it is missing).
/// </summary>
public sealed class UiFixture : WeirServerFixture
{
    public const string Pool = "ui-test";
    public const string Deployment = "ui-example/ui";
    public const string AdminKey = "ui-test-admin-key-5f1c";

    /// <summary>A secret block's value that no page may ever contain.</summary>
    public const string SecretValue = "s3cr3t-ui-token-9d27e4";

    private RunningProcess? _worker;
    private IPlaywright? _playwright;

    public string Project { get; } = Directory.CreateTempSubdirectory("weir-ui-project-").FullName;

    public TestServer KeyedServer { get; private set; } = null!;

    public IBrowserContext Browser { get; private set; } = null!;

    /// <summary>The commit the deployment's runs check out.</summary>
    public string Commit { get; private set; } = "";

    public string WorkerLog => _worker?.Output ?? string.Empty;

    public static string Screenshots { get; } = Path.Combine(Repo.Root, "artifacts", "test-results", "screenshots");

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        var chromium = (await Shell.RunAsync("bash", Repo.Infra("chromium.sh"), "install")).Trim().Split('\n')[^1];

        await base.InitializeAsync();
        KeyedServer = await TestServer.StartAsync(new TestServerOptions { ApiKey = AdminKey });
        await Server.Store.PutBlockAsync("secret", "ui-repo-token", new JsonObject { ["value"] = SecretValue }, CancellationToken.None);
        await Server.Store.PutVariableAsync("ui-greeting", "hello from a variable", CancellationToken.None);

        await CreateRepositoryAsync();
        var deploy = await (Cli with { Timeout = TimeSpan.FromMinutes(3) }).RunAsync(Project, "deploy", "ui");
        deploy.ExitCode.ShouldBe(0, deploy.Output);

        _worker = Cli.StartWorker(Project, Pool, "ui-worker", "--limit", "2");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(Path.Combine(Home, "chromium-profile"), new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (KeyedServer is not null)
        {
            await KeyedServer.DisposeAsync();
        }

        await base.DisposeAsync();
        TempFolder.Delete(Project);
    }

    /// <summary>Waits until the worker has heart-beaten (so the dashboard lists it).</summary>
    public async Task WaitForWorkerAsync()
    {
        var heartBeat = await Poll.ValueAsync(
            async () => (await Server.Store.ListPoolsAsync(CancellationToken.None)).Any(p => p.Name == Pool && p.Workers.Count > 0), beat => beat, TimeSpan.FromSeconds(60));
        if (!heartBeat)
        {
            throw new TimeoutException("The worker never heart-beat: " + WorkerLog);
        }
    }

    private async Task CreateRepositoryAsync()
    {
        await ProjectFiles.WriteFlowAsync(Project, "ui_flow.cs", """
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
        await ProjectFiles.WriteWeirYamlAsync(Project, $$$"""
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
        Commit = await Git.CommitAllAsync(Project, "UI test flow");
    }
}
