using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Weir.SecurityTests;

/// <summary>
/// One real server with an admin key and two worker keys (SQLite, in this process, on a free 127.0.0.1 port), a project
/// deployed by the real <c>weir deploy</c> with the admin key, and one real worker process (<c>weir worker start</c>, process
/// pool) that has only its worker key, started with the server's credentials planted in its environment as well, so a
/// flow that sees them shows the allow-list failed. Shared by the whole collection.
/// </summary>
public sealed class SecuredCluster : IAsyncLifetime
{
    public const string AdminKey = "sec-admin-key-5f1e0c9a7b3d2e4f";
    public const string WorkerKey = "sec-worker-key-8a2b4c6d0e1f3a5b";
    public const string OtherWorkerKey = "sec-other-key-1c3e5a7b9d0f2a4c";
    public const string Pool = "secure";
    public const string DrainPool = "drain";

    /// <summary>What the worker's environment holds beside its key, and no flow may see.</summary>
    public const string PlantedSecretKey = "planted-secret-key-6b8d0f2a4c6e";
    public const string PlantedDatabaseUrl = "Host=127.0.0.1;Password=planted-db-password-3e5a7c9b";
    public const string PlantedWorkerKeys = "planted:planted-worker-keys-9f7d5b3a@x";

    public string Root { get; } = Directory.CreateTempSubdirectory("weir-security-").FullName;

    public string Project => Path.Combine(Root, "project");

    /// <summary>Where the pull step writes each run's environment and token (one file each per run).</summary>
    public string Steps => Path.Combine(Root, "steps");

    /// <summary>The worker's WEIR_HOME, which the worker creates itself.</summary>
    public string WorkerHome => Path.Combine(Root, "worker-home");

    /// <summary>The secret the flows may read (declared), one they may not, and the one the pull step uses.</summary>
    public string Declared { get; } = "sec-declared-" + Guid.NewGuid().ToString("N");

    public string Undeclared { get; } = "sec-undeclared-" + Guid.NewGuid().ToString("N");

    public string StepSecret { get; } = "sec-step-" + Guid.NewGuid().ToString("N");

    public TestServer Server { get; private set; } = null!;

    public WeirClient Admin => Server.Client;

    public Uri Url => Server.Url;

    public RunningProcess Worker { get; private set; } = null!;

    public LogCapture ServerLog { get; } = new();

    /// <summary>The <c>weir</c> command with the admin key (deploys).</summary>
    public WeirCli AdminCli => new WeirCli(Path.Combine(Root, "admin-home"), Url).With(new Dictionary<string, string> { ["WEIR_API_KEY"] = AdminKey });

    /// <summary>The <c>weir</c> command as a worker runs: its key, and the server's credentials planted beside it.</summary>
    public WeirCli WorkerCli => new WeirCli(WorkerHome, Url).With(new Dictionary<string, string>
    {
        ["WEIR_API_KEY"] = WorkerKey, ["WEIR_SECRET_KEY"] = PlantedSecretKey, ["WEIR_DATABASE_URL"] = PlantedDatabaseUrl, ["WEIR_WORKER_API_KEYS"] = PlantedWorkerKeys,
    });

    /// <summary>Every credential and secret value no flow output, log, page or database may show.</summary>
    public IReadOnlyList<(string What, string Value)> Secrets =>
    [
        ("the admin key", AdminKey), ("the worker key", WorkerKey), ("the other worker key", OtherWorkerKey), ("WEIR_SECRET_KEY", PlantedSecretKey),
        ("the database password", "planted-db-password-3e5a7c9b"), ("WEIR_WORKER_API_KEYS", "planted-worker-keys-9f7d5b3a"), ("the server's secret key", TestServer.DefaultSecretKey),
        ("the declared secret", Declared), ("the undeclared secret", Undeclared), ("the pull step's secret", StepSecret),
    ];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Steps);
        Server = await TestServer.StartAsync(new TestServerOptions
        {
            Port = FreePort.Next(), Home = Path.Combine(Root, "server"), ApiKey = AdminKey,
            WorkerApiKeys = [$"sec-worker:{WorkerKey}@{Pool},{DrainPool}", $"other:{OtherWorkerKey}@{Pool}"],
            RunTokenGrace = TimeSpan.FromSeconds(1), CrashCheckInterval = TimeSpan.FromSeconds(1), Log = ServerLog, LogLevel = LogLevel.Information,
        });
        await Admin.PutBlockAsync("secret", "declared", new JsonObject { ["value"] = Declared }, default);
        await Admin.PutBlockAsync("secret", "undeclared", new JsonObject { ["value"] = Undeclared }, default);
        await Admin.PutBlockAsync("secret", "step-token", new JsonObject { ["value"] = StepSecret }, default);
        await WriteProjectAsync();
        var deploy = await AdminCli.RunAsync(Project, "deploy", "--all");
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);

        // Deployed from a plain file; the checkout then turns it into a link to a flow outside it (what a pushed symlink does).
        var outside = Path.Combine(Root, "outside.cs");
        File.Copy(Path.Combine(Project, "flows", "probe.cs"), outside);
        File.Delete(Path.Combine(Project, "flows", "linked.cs"));
        File.CreateSymbolicLink(Path.Combine(Project, "flows", "linked.cs"), outside);

        Worker = WorkerCli.StartWorker(Project, Pool, "sec-w1", "--limit", "4");
    }

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts a run of <paramref name="deployment"/> and waits for its end; the run as the admin sees it.</summary>
    public async Task<FlowRunDto> RunAsync(string deployment, JsonObject? parameters = null, TimeSpan? timeout = null)
    {
        var run = await Admin.CreateRunAsync("probe", deployment, parameters, default);
        return await WaitForFinalAsync(run.Id, timeout ?? TimeSpan.FromMinutes(2));
    }

    public async Task<FlowRunDto> WaitForFinalAsync(Guid id, TimeSpan timeout) =>
        await Poll.ValueAsync(async () => (await Admin.GetRunAsync(id, default))!, r => r.State.IsTerminal(), timeout, TimeSpan.FromMilliseconds(200));

    /// <summary>Every log line of a run, one per line.</summary>
    public async Task<string> LogTextAsync(Guid id) =>
        string.Join('\n', (await Admin.LogsAsync(id, 0, 10_000, default)).Select(l => l.Message));

    private async Task WriteProjectAsync()
    {
        await ProjectFiles.WriteFlowAsync(Project, "probe.cs", """
            using Weir;

            public static class Probe
            {
                [Task]
                public static void Show(string text) => Console.WriteLine("task got " + text);

                [Flow("probe")]
                public static async Task Run(string mode, int seconds = 0)
                {
                    if (mode == "environment")
                    {
                        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Order())
                        {
                            Console.WriteLine("env " + name + "=" + System.Environment.GetEnvironmentVariable(name));
                        }

                        var secret = await Secret.GetAsync("declared");
                        Console.WriteLine("secret=" + secret);
                        Show(secret);
                    }
                    else if (mode == "undeclared")
                    {
                        try
                        {
                            Console.WriteLine("read " + await Secret.GetAsync("undeclared"));
                        }
                        catch (UnauthorizedAccessException ex)
                        {
                            Console.WriteLine("refused: " + ex.Message);
                            throw;
                        }
                    }
                    else if (mode == "nap")
                    {
                        await Task.Delay(seconds * 1000);
                        Console.WriteLine("woke after " + seconds + " s");
                    }
                }
            }
            """);
        File.Copy(Path.Combine(Project, "flows", "probe.cs"), Path.Combine(Project, "flows", "linked.cs"));
        await ProjectFiles.WriteWeirYamlAsync(Project, $$"""
            name: security
            pull:
            - set_working_directory:
                directory: '{{Project}}'
            - run_shell_script:
                script: sh -c 'env > "$(mktemp -p {{Steps}} env.XXXXXX)"; printf %s "$WEIR_RUN_TOKEN" > "$(mktemp -p {{Steps}} token.XXXXXX)"; echo step=$STEP_TOKEN'
                env: { STEP_TOKEN: 'STEP_REFERENCE' }
            deployments:
            - name: environment
              entrypoint: flows/probe.cs:probe
              work_pool: { name: {{Pool}} }
              parameters: { mode: environment }
              blocks: [declared]
            - name: undeclared
              entrypoint: flows/probe.cs:probe
              work_pool: { name: {{Pool}} }
              parameters: { mode: undeclared }
            - name: linked
              entrypoint: flows/linked.cs:probe
              work_pool: { name: {{Pool}} }
              parameters: { mode: nap }
            - name: nap
              entrypoint: flows/probe.cs:probe
              work_pool: { name: {{DrainPool}} }
              parameters: { mode: nap, seconds: 1 }
            """.Replace("STEP_REFERENCE", "{{ weir.blocks.secret.step-token }}", StringComparison.Ordinal));
    }
}

[CollectionDefinition(Name)]
public sealed class SecuredCollection : ICollectionFixture<SecuredCluster>
{
    public const string Name = "secured cluster";
}
