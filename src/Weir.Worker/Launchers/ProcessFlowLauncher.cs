using System.Globalization;
using Microsoft.Extensions.Logging;
using Weir.Compiler;
using Weir.Storage.Steps;

namespace Weir.Worker.Launchers;

/// <summary>
/// The <c>process</c> pool: prepares the run on this machine (pull steps, compile, structure check),
/// then runs <c>weir flow-run execute</c> in a child process from the folder the pull steps left.
/// The child reports states and logs itself; cancellation kills its process tree. Children are
/// started ahead of runs (<see cref="WorkerOptions.Standby"/>); disposing stops the waiting ones.
/// </summary>
public sealed class ProcessFlowLauncher : IFlowLauncher, IDisposable
{
    private readonly IWorkerServer _server;
    private readonly RunPreparer _preparer;
    private readonly FlowProcessStarter _starter;

    /// <summary>Creates the launcher; run folders and caches live under <see cref="WorkerOptions.WeirHome"/>.</summary>
    public ProcessFlowLauncher(IWorkerServer server, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        var paths = new WorkerPaths(options.WeirHome);
        Directory.CreateDirectory(paths.Runs);
        _preparer = new RunPreparer(paths, StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = options.WeirHome }))
        {
            DownloadBuild = server.DownloadBuildAsync,
        };
        var environment = new Dictionary<string, string>(server.ChildEnvironment)
        {
            // A flow process whose worker dies heart-beats its run in the worker's name (OrphanHeartbeat).
            [OrphanHeartbeat.PoolVariable] = options.Pool,
            [OrphanHeartbeat.NameVariable] = options.Name,
            [OrphanHeartbeat.IntervalVariable] = options.HeartbeatInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        _starter = new FlowProcessStarter(options.Command ?? FlowProcessCommand.Current(), environment, paths.Runs, options.Standby, Math.Max(1, options.RunsPerProcess));
    }

    /// <inheritdoc />
    public string PoolType => "process";

    /// <inheritdoc />
    public async Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        var id = run.Request.FlowRunId;
        PreparedRun? prepared = null;
        try
        {
            prepared = await RunReporting.PrepareAsync(_preparer, _server, run.Request, cancellationToken).ConfigureAwait(false);

            var parameters = Path.Combine(prepared.RunFolder, "parameters.json");
            await File.WriteAllTextAsync(parameters, run.Parameters.ToJsonString(), cancellationToken).ConfigureAwait(false);
            string[] arguments =
            [
                "flow-run", "execute", id.ToString(), "--source", prepared.SourcePath, "--flow", prepared.FlowName, "--params-file", parameters,
                "--retries", run.Retries.ToString(CultureInfo.InvariantCulture), "--retry-delay-seconds", run.RetryDelaySeconds.ToString(CultureInfo.InvariantCulture),
                .. prepared.BuildId is { } buildId ? new[] { "--build-id", buildId } : [],
            ];
            var result = await _starter.RunAsync(arguments, prepared.WorkingDirectory, output.Line,
                pid => output.Progress($"started process {pid}"), cancellationToken).ConfigureAwait(false);
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
