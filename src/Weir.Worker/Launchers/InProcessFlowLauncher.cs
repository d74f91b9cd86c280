using Weir.Compiler;
using Weir.Storage.Steps;
using Weir.Worker.Hosting;
using Weir.Client;

namespace Weir.Worker.Launchers;

/// <summary>
/// The <c>in-process</c> pool: prepares each run here (pull steps, compile cache, structure check) and runs
/// it inside the worker's own process through the <see cref="FlowHost"/>, in a fresh collectible load
/// context (its statics start anew), its console output captured to its own log, its states and logs
/// reported through one batching sink that all of the worker's runs share. No process starts per run, so
/// this is the fastest pool; the price is isolation: cancellation is cooperative (the run's token), a run
/// whose code ignores it past <see cref="WorkerOptions.CancellationGrace"/> is left running and counted
/// (<see cref="AbandonedRuns"/>), and a flow that ends the process (<c>Environment.Exit</c>, a stack
/// overflow) takes the worker down with it; the server's crash detector then re-runs its runs when their
/// retries allow.
/// </summary>
public sealed class InProcessFlowLauncher : IFlowLauncher, IAsyncDisposable
{
    private readonly IWorkerServer _server;
    private readonly WorkerOptions _options;
    private readonly RunPreparer _preparer;
    private readonly ServerRunSink? _sink;
    private readonly FlowHost _host;
    private readonly bool _batches;
    private readonly Func<ClaimedRun, ServerRunValues?>? _values;
    private readonly RunEndJournal _journal;
    private int _abandoned;

    /// <summary>
    /// Creates the launcher; run folders and caches live under <see cref="WorkerOptions.WeirHome"/>, reports go through
    /// <paramref name="client"/> (the worker's own: it reports the runs it claimed), and each run's secret reads go to the
    /// same server with that run's token.
    /// </summary>
    public InProcessFlowLauncher(IWorkerServer server, WorkerOptions options, Client.WeirClient client)
        : this(server, options, new ServerRunSink(client) { FlushWaits = false }, RunValuesOf(client))
    {
    }

    internal InProcessFlowLauncher(IWorkerServer server, WorkerOptions options, IRunSink sink, Func<ClaimedRun, ServerRunValues?>? values = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        _values = values;
        _server = server;
        _options = options;
        var paths = new WorkerPaths(options.WeirHome);
        Directory.CreateDirectory(paths.Runs);
        _preparer = new RunPreparer(paths, StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = options.WeirHome }))
        {
            DownloadBuild = server.DownloadBuildAsync,
            TimeProvider = options.TimeProvider,
            // Runs here share the worker's current folder, so nothing they write by a relative path lands in their code.
            FlowRunsInWorkingDirectory = false,
        };
        _sink = sink as ServerRunSink;
        _journal = _sink is null ? RunEndJournal.Open(paths.Journals, options.Name) : RunEndJournal.Open(paths.Journals, options.Name, () => _sink.Queued, () => _sink.Delivered);
        _batches = sink is IEventBatchSink;
        _host = new FlowHost(sink, options.TimeProvider);
    }

    /// <inheritdoc />
    public string PoolType => "in-process";

    /// <summary>How many cancelled runs' code did not stop and is still running in this process.</summary>
    public int AbandonedRuns => Volatile.Read(ref _abandoned);

    /// <inheritdoc />
    public bool NeedsRestart => AbandonedRuns >= _options.MaxAbandonedRuns;

    /// <inheritdoc />
    public async Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        PreparedRun? prepared = null;
        try
        {
            (prepared, var start) = await RunStart.PrepareAsync(_preparer, run, _server, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            // The start report goes into the shared sink ahead of the run's own events: no request of its own.
            var assignment = FlowRunAssignment.For(run.FlowRunId, prepared, run.Parameters, run.Retries, run.RetryDelaySeconds);
            if (_batches)
            {
                assignment = assignment with { Start = start };
            }
            else
            {
                await _server.ReportAsync(start, cancellationToken).ConfigureAwait(false);
            }

            // The run's secrets are read with its own token: in one process many runs go at once, so it travels with the run.
            using var values = _values?.Invoke(run);
            var result = await _host.RunAsync(assignment, cancellationToken, _options.CancellationGrace, runValues: values, stopReason: output.StopReason).ConfigureAwait(false);
            if (result.Final is { } final)
            {
                // Before anything else: a worker killed now must not leave a run that did its work looking crashed.
                _journal.Record(run.FlowRunId, final);
            }

            if (result.Problem is { } problem)
            {
                output.Line("error: " + problem, true);
            }

            if (result.Abandoned is { } straggler)
            {
                Interlocked.Increment(ref _abandoned);
                output.Progress($"its code ignored cancellation for {_options.CancellationGrace.TotalSeconds:0.#} s and was left running ({AbandonedRuns} abandoned in this worker)");
                _ = straggler.ContinueWith(_ => Interlocked.Decrement(ref _abandoned), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return new FlowExit("flow (in the worker's process)", result.ExitCode, Killed: false);
        }
        finally
        {
            if (prepared is not null)
            {
                RunPreparer.Cleanup(prepared.RunFolder);
            }
        }
    }

    /// <summary>Each run's reads through a client of its own holding the run's token (made at its first read), over the worker client's server (a handler shared by all).</summary>
    private static Func<ClaimedRun, ServerRunValues?> RunValuesOf(Client.WeirClient worker)
    {
        var connections = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) };
        return run => run.RunToken is null
            ? new ServerRunValues(worker)
            : new ServerRunValues(() => new Client.WeirClient(new Client.WeirClientOptions { BaseUrl = worker.BaseUrl, ApiKey = run.RunToken, Agent = worker.Agent, Handler = connections }), ownsClient: true);
    }

    /// <summary>Sends what the shared sink still holds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync().ConfigureAwait(false);
        }

        // Everything the journal holds is reported now, unless the server could not be reached for a while: then the
        // journal stays for the next worker on this WEIR_HOME to report.
        if (_sink is null || _sink.Delivered >= _sink.Queued)
        {
            _journal.Dispose();
        }
        else
        {
            _journal.Abandon();
        }
    }
}
