using System.Globalization;
using Weir.Compiler;
using Weir.Storage.Steps;
using Weir.Client;

namespace Weir.Worker.Launchers;

/// <summary>
/// The <c>process</c> pool: prepares the run on this machine (pull steps, compile, structure check),
/// then hands it to a flow process (<c>Weir.Runner</c>) that runs it in the folder the pull steps left.
/// The child reports states and logs itself; cancellation kills its process tree. Children are
/// started ahead of runs (<see cref="WorkerOptions.Standby"/>); disposing stops the waiting ones.
/// </summary>
public sealed class ProcessFlowLauncher : IFlowLauncher, IDisposable
{
    private readonly IWorkerServer _server;
    private readonly RunPreparer _preparer;
    private readonly FlowProcessStarter _starter;
    private readonly TimeProvider _time;

    /// <summary>Creates the launcher; run folders and caches live under <see cref="WorkerOptions.WeirHome"/>.</summary>
    public ProcessFlowLauncher(IWorkerServer server, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        _time = options.TimeProvider;
        var paths = new WorkerPaths(options.WeirHome);
        Directory.CreateDirectory(paths.Runs);
        _preparer = new RunPreparer(paths, StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = options.WeirHome }))
        {
            DownloadBuild = server.DownloadBuildAsync,
            TimeProvider = options.TimeProvider,
            BaseEnvironment = server.ChildEnvironment,
        };
        var environment = new Dictionary<string, string>(server.ChildEnvironment)
        {
            // A flow process whose worker dies heart-beats its run in the worker's name (OrphanHeartbeat).
            [OrphanHeartbeat.PoolVariable] = options.Pool,
            [OrphanHeartbeat.NameVariable] = options.Name,
            [OrphanHeartbeat.IntervalVariable] = options.HeartbeatInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        _starter = new FlowProcessStarter(options.Command ?? FlowProcessCommand.Runner(), environment, paths.Runs, options.Standby, Math.Max(1, options.RunsPerProcess));
    }

    /// <inheritdoc />
    public string PoolType => "process";

    /// <inheritdoc />
    public async Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        PreparedRun? prepared = null;
        try
        {
            (prepared, var start) = await RunStart.PrepareAsync(_preparer, run, _server, _time, cancellationToken).ConfigureAwait(false);
            // One request for the whole start (lines and provenance), before the flow process's own events.
            await _server.ReportAsync(start, cancellationToken).ConfigureAwait(false);
            // The run's token and the deployment's env travel with the run: the process was started before it, with neither.
            var assignment = Hosting.FlowRunAssignment.For(run.FlowRunId, prepared, run.Parameters, run.Retries, run.RetryDelaySeconds) with
            {
                RunToken = run.RunToken,
                Environment = ContainerJobVariables.ReadEnvironment(run.JobVariables, run.DeploymentName),
            };
            var result = await _starter.RunAsync(assignment, output.Line, pid => output.Progress($"started process {pid}"), cancellationToken).ConfigureAwait(false);
            return new FlowExit($"flow process (PID {result.ProcessId})", result.ExitCode, result.Killed);
        }
        finally
        {
            if (prepared is not null)
            {
                RunPreparer.Cleanup(prepared.RunFolder);
            }
        }
    }

    /// <summary>Stops the standby children.</summary>
    public void Dispose() => _starter.Dispose();
}
