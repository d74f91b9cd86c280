using System.Globalization;
using Weir.Client;
using Weir.Engine;

namespace Weir.Worker.Hosting;

/// <summary>
/// The program of a worker's flow process (<c>Weir.Runner</c>): it pays the start-up costs ahead of
/// its run (the runtime, the engine and the report serializer compiled by the JIT), then waits on its standard
/// input for <see cref="FlowRunAssignment"/> lines and runs each through the <see cref="FlowHost"/>, in
/// the assignment's folder. With <c>--runs N</c> it takes up to N runs one after another and ends each with
/// <see cref="FlowProcess.RunEndedMarker"/> and its exit code on both output streams; its last run's exit
/// code is the process's. When the worker closes the pipe, it exits. States, task runs and logs go to
/// <c>WEIR_API_URL</c> through a batching sink per run, with the token its assignment brings: the process's own environment
/// holds no credential.
/// </summary>
public static class FlowProcessMain
{
    /// <summary>How a flow process names itself to the server.</summary>
    private const string Agent = "weir-runner";

    /// <summary>How long its reports wait out an unreachable server or database.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Runs the flow process; <paramref name="args"/> is <c>[--runs N]</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        var most = args is ["--runs", var n] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs > 0 ? runs : 1;
        // The process holds no credential: each run reports with the token its assignment brings, through one connection pool.
        var server = Environment.GetEnvironmentVariable("WEIR_API_URL") is { Length: > 0 } url ? new Uri(url) : null;
        using var connections = server is null ? null : new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) };
        await WarmUpAsync(cancellationToken).ConfigureAwait(false);
        for (var served = 1; ; served++)
        {
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(line))
            {
                return 0;
            }

            var assignment = FlowRunAssignment.FromJsonLine(line);
            int code;
            if (server is null)
            {
                code = await RunOneAsync(new FlowHost(new ConsoleRunSink(HostConsole.Out)), null, assignment, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A flow process outlives a server restart or a database outage: its reports wait them out.
                using var client = new WeirClient(new WeirClientOptions { BaseUrl = server, ApiKey = assignment.RunToken, Agent = Agent, RetryUnavailable = Patience, Handler = connections });
                await using var sink = new ServerRunSink(client, logger: StandardErrorLogger.Instance);
                code = await RunOneAsync(new FlowHost(sink), client, assignment, cancellationToken).ConfigureAwait(false);
            }

            if (served >= most)
            {
                return code;
            }

            // The worker takes the run as ended once both streams carry the marker (all its lines came first).
            var marker = FlowProcess.RunEndedMarker + code.ToString(CultureInfo.InvariantCulture);
            await HostConsole.Out.WriteLineAsync(marker).ConfigureAwait(false);
            await HostConsole.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await HostConsole.Error.WriteLineAsync(marker).ConfigureAwait(false);
            await HostConsole.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A container's runner (<c>weir flow-run execute RUN_ID</c>): fetches the run and its deployment, runs the pull
    /// steps where it is, compiles, checks the structure, records what code it runs, then runs the flow here.
    /// A run that cannot start is marked Failed with the reason (exit code 1), or, when even that report
    /// fails, left to the worker with the reason on standard error (exit code 2).
    /// </summary>
    public static async Task<int> ExecuteAsync(Guid flowRunId, CancellationToken cancellationToken)
    {
        using var client = WeirClient.FromEnvironment(Agent, Patience);
        // The run's token came in the container's environment; from here on only this client and the shell steps hold it,
        // so the flow's code does not find it among its environment variables.
        var runToken = Environment.GetEnvironmentVariable(WeirClientOptions.RunTokenVariable) is { Length: > 0 } token ? token : null;
        FlowEnvironment.WithholdFromThisProcess();
        // Watching for the worker's death starts before preparing (pull steps and compiling take seconds).
        await using (OrphanHeartbeat.Start(client, flowRunId, StandardErrorLogger.Instance))
        {
            FlowRunAssignment assignment;
            try
            {
                var (run, prepared, start) = await SelfPreparation.PrepareAsync(client, flowRunId, WeirHome.Default(), runToken, cancellationToken).ConfigureAwait(false);
                assignment = FlowRunAssignment.For(flowRunId, prepared, run.Parameters, run.Retries, run.RetryDelaySeconds) with { Start = start };
            }
            catch (RunPreparationException ex)
            {
                try
                {
                    await client.SetStateAsync(flowRunId, new StateRequest(StateType.Failed, ex.Message), cancellationToken).ConfigureAwait(false);
                    await HostConsole.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                    return 1;
                }
                catch (Exception report) when (report is HttpRequestException or WeirApiException)
                {
                    await HostConsole.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                    return Launchers.FlowExit.CouldNotStart;
                }
            }

            await using var sink = new ServerRunSink(client, logger: StandardErrorLogger.Instance);
            // The orphan watch above covers the whole container; the run reads its secrets with the same client.
            return await RunOneAsync(new FlowHost(sink), client, assignment, cancellationToken, watchWorker: false).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunOneAsync(FlowHost host, WeirClient? client, FlowRunAssignment assignment, CancellationToken cancellationToken, bool watchWorker = true)
    {
        // The run's folder is the process's current folder while it runs (the flow's relative paths are the run's).
        Directory.SetCurrentDirectory(assignment.WorkingDirectory);
        await using var orphan = client is null || !watchWorker ? null : OrphanHeartbeat.Start(client, assignment.FlowRunId, StandardErrorLogger.Instance);
        using var values = client is null ? null : new ServerRunValues(client);
        // The deployment's env holds for this run only: a process that runs several gives the next one its own.
        var before = assignment.Environment.ToDictionary(e => e.Key, e => Environment.GetEnvironmentVariable(e.Key), StringComparer.Ordinal);
        foreach (var (name, value) in assignment.Environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        FlowHostResult result;
        try
        {
            result = await host.RunAsync(assignment, cancellationToken, runValues: values).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (name, value) in before)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        if (result.Problem is { } problem)
        {
            // The worker marks the run Failed with this line (exit code 2: it could not start).
            await HostConsole.Error.WriteLineAsync("error: " + problem).ConfigureAwait(false);
        }

        return result.ExitCode;
    }

    /// <summary>Runs the code paths every flow run takes once, so that the JIT has compiled them before the run arrives.</summary>
    private static async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var definition = FlowDefinition.FromMethod(typeof(WarmUpFlow).GetMethod(nameof(WarmUpFlow.Run))!);
        var values = ParameterBinder.Bind(definition, [], System.Text.Json.JsonDocument.Parse("""{"x": 1}""").RootElement);
        _ = await new FlowEngine(new MemoryRunSink()).RunAsync(definition, values, new FlowRunOptions(), cancellationToken).ConfigureAwait(false);
        _ = FlowRunAssignment.FromJsonLine(new FlowRunAssignment
        {
            FlowRunId = Guid.Empty, FlowName = "warm-up", WorkingDirectory = ".", SourcePath = "warm-up.cs", AssemblyPath = "warm-up.dll",
        }.ToJsonLine());
        // The report path's serializer, compiled ahead; no request is sent (a flow process's requests are its runs' own).
        _ = System.Text.Json.JsonSerializer.Serialize(new EventBatch(), ApiJson.Options);
    }

    /// <summary>The flow the warm-up runs: one task, through the same engine calls compiled flows make.</summary>
    private static class WarmUpFlow
    {
        private static readonly TaskDescriptor Task = new("warm-up", 0, 0, 0, ["x"]);

        [Flow("weir-standby-warm-up")]
        public static int Run(int x) => TaskEngine.Run(Task, [x], () => x + 1);
    }
}
