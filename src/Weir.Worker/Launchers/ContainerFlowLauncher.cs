using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Weir.Storage.Docker;

namespace Weir.Worker.Launchers;

/// <summary>
/// The <c>container</c> pool: pulls the deployment's image (job variable <c>image</c>) and runs
/// <c>weir flow-run execute ID</c> inside a container on the host network, with the API URL, key and
/// run id in its environment. The runner in the image runs the pull steps there (so the image's code
/// is what runs), compiles, and reports states and logs itself. Its output streams to the worker;
/// cancellation kills the container; the container is removed when the run ends.
/// </summary>
public sealed class ContainerFlowLauncher(IWorkerServer server, ContainerLauncherOptions options) : IFlowLauncher
{
    private static readonly TimeSpan s_stopWait = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public string PoolType => "container";

    /// <inheritdoc />
    public async Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        var id = run.Request.FlowRunId;
        var settings = ContainerJobVariables.Read(run.JobVariables, run.Request.DeploymentName, options.DefaultImage);
        var docker = options.Docker;

        await PullAsync(docker, id, settings, output, cancellationToken).ConfigureAwait(false);

        var name = $"weir-{id:N}-{Guid.NewGuid().ToString("N")[..6]}";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in server.ChildEnvironment.Where(e => e.Key != "WEIR_HOME"))
        {
            environment[key] = value;
        }

        environment["WEIR_FLOW_RUN_ID"] = id.ToString();
        foreach (var (key, value) in settings.Environment)
        {
            environment[key] = value;
        }

        // Values travel in the docker command's environment (-e NAME), never in its argument list,
        // so an API key is not visible in the process table.
        var arguments = new List<string> { "run", "--name", name, "--network", settings.NetworkMode, "--label", "weir.flow-run-id=" + id, "--pull", "never" };
        foreach (var key in environment.Keys.Order(StringComparer.Ordinal))
        {
            arguments.Add("-e");
            arguments.Add(key);
        }

        arguments.Add(settings.Image);
        arguments.AddRange(settings.Command ?? ["weir", "flow-run", "execute", id.ToString()]);

        output.Progress($"starting container {name} from image {settings.Image}");
        var what = $"flow container {name} (image {settings.Image})";
        var killed = false;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() =>
        {
            killed = true;
            _ = KillAsync(docker, name, stopped);
        });
        try
        {
            var result = await docker.RunAsync(arguments, output.Line, CancellationToken.None, environment: environment).ConfigureAwait(false);
            if (killed)
            {
                await stopped.Task.WaitAsync(s_stopWait, CancellationToken.None).ConfigureAwait(false);
            }

            return new FlowExit(what, result.ExitCode, killed);
        }
        catch (DockerException ex)
        {
            throw new RunPreparationException(ex.Message, ex);
        }
        finally
        {
            // Whatever happened, no container of this run is left behind (running or stopped).
            using var cleanup = new CancellationTokenSource(s_stopWait);
            try
            {
                await docker.RunAsync(["rm", "--force", name], null, cleanup.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or DockerException)
            {
                output.Progress($"could not remove container {name}: {ex.Message}");
            }
        }
    }

    private async Task PullAsync(DockerCli docker, Guid id, ContainerJobVariables settings, FlowOutput output, CancellationToken cancellationToken)
    {
        try
        {
            if (settings.PullPolicy == ImagePullPolicy.Never
                || (settings.PullPolicy == ImagePullPolicy.IfNotPresent && await docker.HasImageAsync(settings.Image, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }

            output.Progress($"pulling image {settings.Image}");
            await server.LogAsync(id, LogLevel.Information, $"Pulling image {settings.Image}", cancellationToken).ConfigureAwait(false);
            var pulled = await docker.RunAsync(["pull", settings.Image], null, cancellationToken).ConfigureAwait(false);
            if (!pulled.Succeeded)
            {
                throw new RunPreparationException(
                    $"Could not pull the image '{settings.Image}' of deployment '{settings.Deployment}' (docker pull exited with {pulled.ExitCode}): {pulled.Tail}\n"
                    + "Check the image name and tag (job variable 'image'), that the registry is reachable from the worker, and that the worker's docker is logged in to it (docker login).");
            }
        }
        catch (DockerException ex)
        {
            throw new RunPreparationException(ex.Message, ex);
        }
    }

    private static async Task KillAsync(DockerCli docker, string name, TaskCompletionSource done)
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_stopWait);
            await docker.RunAsync(["kill", name], null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DockerException)
        {
        }
        finally
        {
            done.TrySetResult();
        }
    }
}
