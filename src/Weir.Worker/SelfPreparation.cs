using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Steps;

namespace Weir.Worker;

/// <summary>
/// A runner that prepares its own run, as <c>weir flow-run execute ID</c> does inside a container:
/// it fetches the run and its deployment from the server, runs the pull steps where it is (in an
/// image, <c>set_working_directory</c> to the baked-in code), compiles, checks the structure, and
/// says what code it got (the start report, sent with the run's first events).
/// </summary>
public static class SelfPreparation
{
    /// <summary>
    /// Prepares flow run <paramref name="flowRunId"/>; throws <see cref="RunPreparationException"/> when it cannot start.
    /// <paramref name="runToken"/> (the run's token, which <paramref name="client"/> holds too) is what its shell steps get.
    /// </summary>
    public static async Task<(ClaimedRun Run, PreparedRun Prepared, Client.EventBatch Start)> PrepareAsync(WeirClient client, Guid flowRunId, string weirHome, string? runToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var run = await client.GetRunAsync(flowRunId, cancellationToken).ConfigureAwait(false)
            ?? throw new RunPreparationException($"The server at {client.BaseUrl} has no flow run {flowRunId}.");
        if (run.DeploymentName is not { } deploymentName || deploymentName.IndexOf('/', StringComparison.Ordinal) is var slash && slash <= 0)
        {
            throw new RunPreparationException($"Flow run {flowRunId} did not come from a deployment, so there are no pull steps to get its code from.");
        }

        var deployment = await client.GetDeploymentAsync(deploymentName[..slash], deploymentName[(slash + 1)..], cancellationToken).ConfigureAwait(false)
            ?? throw new RunPreparationException($"The deployment '{deploymentName}' of flow run {flowRunId} no longer exists.");
        var claimed = ClaimedRun.From(run, deployment, runToken);
        var server = new HttpWorkerServer(client, weirHome);
        var paths = new WorkerPaths(weirHome);
        Directory.CreateDirectory(paths.Runs);
        var preparer = new RunPreparer(paths, StepRegistry.CreateDefault(), new FlowCompiler(new FlowCompilerOptions { WeirHome = weirHome }))
        {
            DownloadBuild = server.DownloadBuildAsync,
            BaseEnvironment = server.ChildEnvironment,
        };
        var (prepared, start) = await RunStart.PrepareAsync(preparer, claimed, server, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return (claimed, prepared, start);
    }
}
