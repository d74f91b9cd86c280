namespace Weir.IntegrationTests;

/// <summary>
/// The run path's cost and the in-process pool, through real <c>weir worker start</c> processes against a
/// server of this class's own (a short worker silence, so a dead worker's runs are crashed quickly): the API
/// requests a run costs (counted by the server, by caller and route), the in-process pool's runs, and a flow
/// that ends the worker's process.
/// </summary>
public sealed class RunProtocolTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("weir-itest-protocol-").FullName;
    private readonly List<RunningProcess> _workers = [];
    private TestServer _server = null!;

    private WeirClient Client => _server.Client;

    /// <summary>Beside <see cref="SampleFlows.Trivial"/>: a flow that reads its run folder, and one that ends its process once.</summary>
    private const string ProtocolFlows = """
        using Weir;
        public static class Protocol
        {
            [Task]
            public static string Read() => File.ReadAllText(Path.Combine(RunContext.Current!.WorkingDirectory, "data.txt"));

            [Flow("reads-its-folder")]
            public static void ReadsItsFolder() => Console.WriteLine("read: " + Read());

            [Task]
            public static void EndTheProcessOnce()
            {
                var marker = Path.Combine(RunContext.Current!.WorkingDirectory, "exited-once");
                if (!File.Exists(marker))
                {
                    File.WriteAllText(marker, "x");
                    Environment.Exit(3);
                }

                Console.WriteLine("second attempt ran");
            }

            [Flow("exits")]
            public static void Exits() => EndTheProcessOnce();
        }
        """;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(new TestServerOptions
        {
            Home = Path.Combine(_home, "server"), WorkerSilence = TimeSpan.FromSeconds(3), CrashCheckInterval = TimeSpan.FromMilliseconds(500), ClientAgent = "weir-test",
        });
        var project = Path.Combine(_home, "project");
        await ProjectFiles.WriteFlowAsync(project, "trivial.cs", SampleFlows.Trivial);
        await ProjectFiles.WriteFlowAsync(project, "protocol.cs", ProtocolFlows);
        await File.WriteAllTextAsync(Path.Combine(project, "data.txt"), "the run's own folder");
        await ProjectFiles.WriteWeirYamlAsync(project, $"""
            name: protocol
            deployments:
            - name: process
              entrypoint: flows/trivial.cs:trivial
              work_pool: {"{"} name: proto-process {"}"}
            - name: inproc
              entrypoint: flows/trivial.cs:trivial
              work_pool: {"{"} name: proto-inproc {"}"}
            - name: inproc-folder
              entrypoint: flows/protocol.cs:reads-its-folder
              work_pool: {"{"} name: proto-inproc {"}"}
            - name: exits
              entrypoint: flows/protocol.cs:exits
              work_pool: {"{"} name: proto-exits {"}"}
              retries: 1
              retry_delay_seconds: 0
            """);
        var deploy = await new WeirCli(Path.Combine(_home, "cli"), _server.Url).RunAsync(project, "deploy", "--all");
        deploy.ExitCode.ShouldBe(0, deploy.Stdout + deploy.Stderr);
        await Client.PutPoolAsync("proto-inproc", WorkPoolTypes.InProcess, null, CancellationToken.None);
        await Client.PutPoolAsync("proto-exits", WorkPoolTypes.InProcess, null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await _server.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private RunningProcess StartWorker(string pool, string name, params string[] options)
    {
        var worker = new WeirCli(Path.Combine(_home, "worker-" + name), _server.Url).StartWorker(_home, pool, name, options);
        _workers.Add(worker);
        return worker;
    }

    private async Task<FlowRunDto> RunToEndAsync(string flow, string deployment, int seconds = 60)
    {
        var run = await Client.CreateRunAsync(flow, deployment, null, CancellationToken.None);
        return await EndOfAsync(run.Id, seconds);
    }

    private async Task<FlowRunDto> EndOfAsync(Guid id, int seconds = 60)
    {
        var current = await Poll.ValueAsync(async () => (await Client.GetRunAsync(id, CancellationToken.None))!, run => run.State.IsTerminal(), TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(25));
        current.State.IsTerminal().ShouldBeTrue($"run {id} is still {current.State}: {current.StateMessage}");
        return current;
    }

    /// <summary>What workers and their flow processes asked of the server since <paramref name="before"/>, heart-beats left out (they are per worker and second, not per run).</summary>
    private long ProtocolRequestsSince(IReadOnlyDictionary<string, long> before) =>
        _server.Server.ApiRequests.Where(r => (r.Key.StartsWith("weir-worker ", StringComparison.Ordinal) || r.Key.StartsWith("weir-runner ", StringComparison.Ordinal)) && !r.Key.EndsWith("/heartbeat", StringComparison.Ordinal))
            .Sum(r => r.Value - before.GetValueOrDefault(r.Key));

    [Fact]
    public async Task ProcessPool_AOneTaskFlow_CostsAtMostThreeRequests()
    {
        StartWorker("proto-process", "proto-process-worker", "--limit", "1");
        (await RunToEndAsync("trivial", "process", 120)).State.ShouldBe(StateType.Completed);
        await Task.Delay(500);

        var before = _server.Server.ApiRequests;
        var run = await RunToEndAsync("trivial", "process");
        await Task.Delay(500);

        run.State.ShouldBe(StateType.Completed, run.StateMessage);
        ProtocolRequestsSince(before).ShouldBeLessThanOrEqualTo(3, string.Join("\n", _server.Server.ApiRequests.Select(r => $"{r.Key}: {r.Value - before.GetValueOrDefault(r.Key)}")));
    }

    [Fact]
    public async Task InProcessPool_UnderLoad_CostsLessThanOneRequestPerRun_AndRunsInTheRunsFolder()
    {
        // A backlog, as under load: the runs wait when the worker starts, so it claims as many as it has room for at once.
        const int Runs = 200;
        var before = _server.Server.ApiRequests;
        var created = new Guid[Runs];
        await Parallel.ForAsync(0, Runs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            created[i] = (await Client.CreateRunAsync("trivial", "inproc", null, ct)).Id);
        StartWorker("proto-inproc", "proto-inproc-worker", "--type", "in-process", "--limit", "4");
        foreach (var id in created)
        {
            (await EndOfAsync(id, 120)).State.ShouldBe(StateType.Completed);
        }

        await Task.Delay(500);
        var perRun = ProtocolRequestsSince(before) / (double)Runs;
        perRun.ShouldBeLessThan(1.0, string.Join("\n", _server.Server.ApiRequests.Select(r => $"{r.Key}: {r.Value - before.GetValueOrDefault(r.Key)}")));

        var read = await RunToEndAsync("reads-its-folder", "inproc-folder");
        read.State.ShouldBe(StateType.Completed, read.StateMessage);
        (await Client.LogsAsync(read.Id, 0, 100, CancellationToken.None)).ShouldContain(l => l.Message == "read: the run's own folder");
    }

    [Fact]
    public async Task InProcessPool_AFlowThatEndsTheWorkersProcess_IsCrashedByTheServer_AndRunAgainByAnotherWorker()
    {
        var first = StartWorker("proto-exits", "proto-exits-first", "--type", "in-process");
        var run = await Client.CreateRunAsync("exits", "exits", null, CancellationToken.None);
        (await first.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue("the flow's Environment.Exit ends the worker");
        first.ExitCode.ShouldBe(3);

        StartWorker("proto-exits", "proto-exits-second", "--type", "in-process");
        var end = await EndOfAsync(run.Id, 120);

        end.State.ShouldBe(StateType.Completed, end.StateMessage);
        var history = await Client.RunHistoryAsync(run.Id, CancellationToken.None);
        history.ShouldContain(s => s.Type == StateType.Crashed);
        (await Client.LogsAsync(run.Id, 0, 1000, CancellationToken.None)).ShouldContain(l => l.Message == "second attempt ran");
    }
}
