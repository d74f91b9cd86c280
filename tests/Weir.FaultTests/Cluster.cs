using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Server.Storage;

namespace Weir.FaultTests;

/// <summary>
/// One scenario's world: the Weir server in this process on PostgreSQL (restartable on its port),
/// a project with the ledger flow deployed by the real <c>weir deploy</c>, and real worker processes
/// (<c>weir worker start</c>) that can be SIGKILLed and replaced. The flow's only task creates a file
/// named after its flow run in a ledger folder: the side effect that shows how often each run really executed.
/// As its first act the task leaves a marker in <see cref="Started"/> naming the same execution and its process,
/// so a scenario that freezes a worker can tell the executions it interrupted (started, not in the ledger).
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public const string Flow = "ledger";

    private readonly PostgresCluster _postgres;
    private readonly Func<IWeirStore, IWeirStore>? _decorator;
    private readonly TimeSpan _workerSilence;
    private readonly List<RunningProcess> _workers = [];
    private readonly List<string> _deadWorkerOutput = [];
    private int _workerNumber;
    private TestServer _server = null!;

    private Cluster(PostgresCluster postgres, string pool, TimeSpan workerSilence, Func<IWeirStore, IWeirStore>? decorator)
    {
        _postgres = postgres;
        Pool = pool;
        _workerSilence = workerSilence;
        _decorator = decorator;
        Root = Directory.CreateTempSubdirectory("weir-fault-" + pool + "-").FullName;
        Directory.CreateDirectory(Project);
        Directory.CreateDirectory(Path.Combine(Project, "flows"));
        Directory.CreateDirectory(Ledger);
        Directory.CreateDirectory(Started);
        Port = FreePort.Next();
    }

    public string Pool { get; }

    public string Root { get; }

    public string Project => Path.Combine(Root, "project");

    public string Home => Path.Combine(Root, "home");

    /// <summary>
    /// The ledger: a folder where every execution of the flow's task creates a file of its own named after
    /// its run. One file per execution, not lines appended to one file: .NET's <c>FileMode.Append</c> does not
    /// open with <c>O_APPEND</c> (it seeks to the end once), so two processes appending at the same moment can
    /// overwrite each other's line, which a first 8,000-run scenario did, reporting 5 runs as never executed.
    /// </summary>
    public string Ledger => Path.Combine(Root, "ledger");

    /// <summary>
    /// One file per execution of the flow's task, created as its first act: <c>RUN.EXECUTION.PID</c>, where
    /// <c>RUN.EXECUTION</c> is the name of the ledger file the same execution creates as its last act and PID the
    /// process it ran in (the worker's own in the in-process pool).
    /// </summary>
    public string Started => Path.Combine(Root, "started");

    /// <summary>Where the in-process workers of this home keep their run-end journals (<c>WorkerPaths.Journals</c>).</summary>
    public string Journals => Path.Combine(Home, "journal");

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>What the server logged, across its restarts.</summary>
    public LogCapture ServerLog { get; } = new();

    /// <summary>The real <c>weir</c> with this scenario's home, talking to its server.</summary>
    public WeirCli Cli => new(Home, Url) { Timeout = TimeSpan.FromMinutes(3) };

    public int WorkersStarted => _workerNumber;

    public IReadOnlyList<RunningProcess> Workers => _workers;

    /// <summary>Everything every worker printed (killed ones included).</summary>
    public string WorkerOutput => string.Join('\n', _deadWorkerOutput.Concat(_workers.Select(w => w.Output)));

    /// <summary>
    /// Starts the server and deploys the ledger flow to <paramref name="pool"/> (of <paramref name="poolType"/>). Its task sleeps
    /// <paramref name="workMilliseconds"/> between its started marker and its ledger file, and <paramref name="slowSeconds"/> after it.
    /// </summary>
    public static async Task<Cluster> StartAsync(PostgresCluster postgres, string pool, int retries = 3, TimeSpan? workerSilence = null, Func<IWeirStore, IWeirStore>? decorator = null, string pullSteps = "", Func<WeirClient, Task>? beforeDeploy = null, int slowSeconds = 0,
        string poolType = WorkPoolTypes.Process, int workMilliseconds = 0)
    {
        var cluster = new Cluster(postgres, pool, workerSilence ?? TimeSpan.FromSeconds(30), decorator) { PoolType = poolType };
        await cluster.StartServerAsync();
        if (beforeDeploy is not null)
        {
            await beforeDeploy(cluster.Api);
        }

        await cluster.DeployAsync(retries, pullSteps, slowSeconds, workMilliseconds);
        if (poolType != WorkPoolTypes.Process)
        {
            await cluster.Api.PutPoolAsync(pool, poolType, null, CancellationToken.None);
        }

        return cluster;
    }

    /// <summary>The pool's type, which its workers are started with (<c>--type</c>).</summary>
    public string PoolType { get; private init; } = WorkPoolTypes.Process;

    public async Task StartServerAsync()
    {
        _server = await TestServer.StartAsync(new TestServerOptions
        {
            Port = Port, Home = Path.Combine(Root, "server"), Postgres = _postgres.ConnectionString,
            WorkerSilence = _workerSilence, CrashCheckInterval = TimeSpan.FromSeconds(1), StoreDecorator = _decorator,
            SecretKey = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("weir-fault-tests"u8)),
            Log = ServerLog, LogLevel = LogLevel.Information,
        });
        Api ??= new WeirClient(Url);
    }

    /// <summary>Stops the server (long polls end, connections close); <see cref="StartServerAsync"/> starts it again on the same port and database.</summary>
    public ValueTask StopServerAsync() => _server.DisposeAsync();

    /// <summary>Stops the server and starts it again on the same port and database.</summary>
    public async Task RestartServerAsync()
    {
        await StopServerAsync();
        await StartServerAsync();
    }

    /// <summary>The test's own client (fails at once, so a 503 is seen as one).</summary>
    public WeirClient Api { get; private set; } = null!;

    private async Task DeployAsync(int retries, string pullSteps, int slowSeconds, int workMilliseconds)
    {
        await ProjectFiles.WriteFlowAsync(Project, "ledger.cs", $$"""
            using Weir;

            public static class LedgerFlow
            {
                [Task]
                public static void Append(string ledger)
                {
                    var execution = RunContext.Current!.FlowRun.Id + "." + Guid.NewGuid().ToString("N");
                    using (File.Open(Path.Combine(Path.GetDirectoryName(ledger)!, "started", execution + "." + Environment.ProcessId), FileMode.CreateNew)) { }
                    Thread.Sleep({{workMilliseconds}});
                    using (File.Open(Path.Combine(ledger, execution), FileMode.CreateNew)) { }
                    Thread.Sleep({{slowSeconds * 1000}});
                }

                [Flow("ledger")]
                public static void Run(string ledger) => Append(ledger);
            }
            """);
        await ProjectFiles.WriteWeirYamlAsync(Project, $"""
            name: fault-{Pool}
            {pullSteps.Replace("{project}", Project, StringComparison.Ordinal)}
            deployments:
            - name: {Pool}
              entrypoint: flows/ledger.cs:ledger
              work_pool: {"{"} name: {Pool} {"}"}
              parameters: {"{"} ledger: '{Ledger}' {"}"}
              retries: {retries}
            """);
        var deploy = await Cli.RunAsync(Project, "deploy", Pool);
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
    }

    /// <summary>The <c>--runs-per-process</c> of the workers <see cref="StartWorker"/> starts (and of their replacements). <value>Defaults to 1.</value></summary>
    public int RunsPerProcess { get; set; } = 1;

    /// <summary>The <c>--limit</c> of the workers <see cref="StartWorker"/> starts without one (and of replacements). <value>Defaults to 1.</value></summary>
    public int Limit { get; set; } = 1;

    /// <summary>Starts a worker of the pool's type under a new name, on the cluster's one <c>WEIR_HOME</c> (as a restarted service on the same machine would be).</summary>
    public RunningProcess StartWorker(int? limit = null)
    {
        var name = $"{Pool}-w{Interlocked.Increment(ref _workerNumber)}";
        var worker = Cli.StartWorker(Project, Pool, name, "--type", PoolType, "--limit", (limit ?? Limit).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--runs-per-process", RunsPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture));
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    /// <summary>
    /// SIGKILLs one worker process (its flow processes live on in their own sessions; in-process runs die with it), runs
    /// <paramref name="beforeReplacement"/> once it is gone, and starts a replacement under a new name on the same home.
    /// </summary>
    public async Task KillAndReplaceAsync(RunningProcess worker, Func<Task>? beforeReplacement = null)
    {
        worker.KillHard();
        await worker.WaitForExitAsync();
        lock (_workers)
        {
            _workers.Remove(worker);
            _deadWorkerOutput.Add(worker.Output);
        }

        await worker.DisposeAsync();
        if (beforeReplacement is not null)
        {
            await beforeReplacement();
        }

        StartWorker();
    }

    public async Task<List<Guid>> CreateRunsAsync(int count)
    {
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Api.CreateRunAsync(Flow, Pool, null, CancellationToken.None)).Id);
        }

        return ids;
    }

    /// <summary>
    /// The chaos of a kill scenario: after every pause (a random number of milliseconds in <paramref name="pauseMs"/>) it
    /// reads the pool's runs, until all of <paramref name="ids"/> are Completed or <paramref name="deadline"/> (on
    /// <paramref name="clock"/>) has passed; the first time half are Completed it stops and starts the server again, and
    /// otherwise, while fewer than 90 % are, it calls <paramref name="kill"/> with the runs it read. Returns when the server
    /// restart happened (zero if it never did).
    /// </summary>
    public async Task<TimeSpan> ChaosAsync(IReadOnlyCollection<Guid> ids, Random random, (int Min, int Max) pauseMs, TimeSpan deadline, System.Diagnostics.Stopwatch clock,
        Func<IReadOnlyList<FlowRunDto>, Task> kill)
    {
        var restartAt = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(random.Next(pauseMs.Min, pauseMs.Max));
            var runs = await Api.ListRunsAsync(10_000, null, Flow, null, Pool, CancellationToken.None);
            var completed = runs.Count(r => r.State == StateType.Completed);
            if (completed == ids.Count || clock.Elapsed > deadline)
            {
                return restartAt;
            }

            if (restartAt == TimeSpan.Zero && completed >= ids.Count / 2)
            {
                restartAt = clock.Elapsed;
                await RestartServerAsync();
            }
            else if (completed < ids.Count * 9 / 10)
            {
                await kill(runs);
            }
        }
    }

    /// <summary>Waits until every run is in a final state (or the time is up) and returns them.</summary>
    public Task<List<FlowRunDto>> WaitForFinalAsync(IReadOnlyCollection<Guid> ids, TimeSpan timeout) => Poll.ValueAsync(
        async () => (await Api.ListRunsAsync(10_000, null, Flow, null, Pool, CancellationToken.None)).Where(r => ids.Contains(r.Id)).ToList(),
        runs => runs.Count == ids.Count && runs.All(r => r.State is StateType.Completed or StateType.Failed or StateType.Cancelled or StateType.Crashed),
        timeout,
        TimeSpan.FromMilliseconds(500));

    /// <summary>How many times each run id appears in the ledger.</summary>
    public Dictionary<Guid, int> ReadLedger() =>
        Directory.EnumerateFiles(Ledger).GroupBy(f => Guid.Parse(Path.GetFileName(f).Split('.')[0])).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.ToList())
        {
            await worker.DisposeAsync();
        }

        Api?.Dispose();
        await _server.DisposeAsync();
        TempFolder.Delete(Root);
    }
}
