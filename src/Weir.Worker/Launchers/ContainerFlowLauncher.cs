using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Weir.Storage.Docker;
using Weir.Client;

namespace Weir.Worker.Launchers;

/// <summary>
/// The <c>container</c> pool: pulls the deployment's image (job variable <c>image</c>) and runs
/// <c>weir flow-run execute ID</c> inside a container on the host network, with the API URL, the run's
/// token (<c>WEIR_RUN_TOKEN</c>, never the worker's key) and run id in its environment. The runner in the image runs the pull steps there (so the image's code
/// is what runs), compiles, and reports states and logs itself. Its output streams to the worker;
/// cancellation kills the container; the container is removed when the run ends.
/// <para>
/// A worker killed outright (SIGKILL, a lost machine) does not lose or double its runs, as with the
/// process pool: each container runs with <c>--rm</c> and <c>-i</c>, the worker holding its standard
/// input open; when that closes, the runner inside heart-beats its run in the worker's name, obeys
/// cancellation itself, and the container removes itself when the flow ends. Containers carry the
/// labels <c>weir.flow-run-id</c>, <c>weir.worker</c> and <c>weir.pool</c>; <see cref="RemoveLeftoversAsync"/>
/// (at worker start) removes the stopped ones of this worker and running ones whose run is over.
/// </para>
/// </summary>
public sealed class ContainerFlowLauncher(IWorkerServer server, ContainerLauncherOptions options) : IFlowLauncher
{
    /// <summary>The label naming a container's flow run.</summary>
    public const string RunLabel = "weir.flow-run-id";

    /// <summary>The label naming the worker that started a container.</summary>
    public const string WorkerLabel = "weir.worker";

    /// <summary>The label naming that worker's pool.</summary>
    public const string PoolLabel = "weir.pool";

    private static readonly TimeSpan s_stopWait = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public string PoolType => "container";

    /// <inheritdoc />
    public async Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        var id = run.FlowRunId;
        var settings = ContainerJobVariables.Read(run.JobVariables, run.DeploymentName, options.DefaultImage);
        var docker = options.Docker;

        await PullAsync(docker, id, settings, output, cancellationToken).ConfigureAwait(false);

        var name = $"weir-{id:N}-{Guid.NewGuid().ToString("N")[..6]}";
        // What means the same inside the container of the worker's environment (language, time zone, proxies), the server's
        // address and the run's token: never the worker's key. WEIR_HOME is the image's.
        var environment = FlowEnvironment.Build(server.ChildEnvironment.Where(e => e.Key != "WEIR_HOME"), container: true);
        if (run.RunToken is { } token)
        {
            environment[WeirClientOptions.RunTokenVariable] = token;
        }

        environment["WEIR_FLOW_RUN_ID"] = id.ToString();
        environment[OrphanHeartbeat.PoolVariable] = options.Worker.Pool;
        environment[OrphanHeartbeat.NameVariable] = options.Worker.Name;
        environment[OrphanHeartbeat.IntervalVariable] = options.Worker.HeartbeatInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment[OrphanHeartbeat.LifelineVariable] = "stdin";
        foreach (var (key, value) in settings.Environment)
        {
            environment[key] = value;
        }

        // Values travel in the docker command's environment (-e NAME), never in its argument list,
        // so an API key is not visible in the process table.
        // -i: the container's standard input is the worker's lifeline (OrphanHeartbeat); --rm: it never outlives its flow.
        var arguments = new List<string>
        {
            "run", "--interactive", "--rm", "--name", name, "--network", settings.NetworkMode, "--pull", "never",
            "--label", RunLabel + "=" + id, "--label", WorkerLabel + "=" + options.Worker.Name, "--label", PoolLabel + "=" + options.Worker.Pool,
        };
        foreach (var key in environment.Keys.Order(StringComparer.Ordinal))
        {
            arguments.Add("-e");
            arguments.Add(key);
        }

        if (settings.CompileCache && await CompileCacheAsync(docker, settings.Image, cancellationToken).ConfigureAwait(false) is { } mount)
        {
            arguments.AddRange(["--mount", mount]);
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
            var result = await docker.RunAsync(arguments, output.Line, CancellationToken.None, environment: environment, keepStandardInputOpen: true).ConfigureAwait(false);
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

    /// <summary>
    /// Cleans up after an earlier life of this worker (same name and pool): removes its stopped containers,
    /// and running ones whose run <paramref name="stateOf"/> says is over or unknown. A running container
    /// whose run is still active is left alone: it heart-beats itself and removes itself when done.
    /// Reports each decision to <paramref name="log"/>; never throws for docker or server trouble.
    /// </summary>
    public async Task RemoveLeftoversAsync(Func<Guid, CancellationToken, Task<StateType?>> stateOf, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateOf);
        ArgumentNullException.ThrowIfNull(log);
        var docker = options.Docker;
        try
        {
            var listed = await docker.RunAsync(
                ["ps", "--all", "--filter", $"label={WorkerLabel}={options.Worker.Name}", "--filter", $"label={PoolLabel}={options.Worker.Pool}",
                    "--format", "{{.Names}}\t{{.State}}\t{{.Label \"" + RunLabel + "\"}}"],
                null, cancellationToken).ConfigureAwait(false);
            if (!listed.Succeeded)
            {
                log($"could not list the containers of earlier starts of this worker (docker ps exited with {listed.ExitCode}): {listed.Tail}");
                return;
            }

            foreach (var line in listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split('\t');
                var (name, state, run) = (parts[0], parts.Length > 1 ? parts[1] : string.Empty, parts.Length > 2 && Guid.TryParse(parts[2], out var g) ? g : (Guid?)null);
                string? why;
                if (state != "running")
                {
                    why = $"it is {state}";
                }
                else
                {
                    StateType? runState = null;
                    try
                    {
                        runState = run is { } r ? await stateOf(r, cancellationToken).ConfigureAwait(false) : null;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or Weir.Client.WeirApiException)
                    {
                        log($"leaving container {name} of flow run {run}: could not ask the server about the run ({ex.Message})");
                        continue;
                    }

                    if (runState is { } active && !active.IsTerminal() && active != StateType.Scheduled)
                    {
                        log($"container {name} of an earlier start of this worker still runs flow run {run} ({active}); it heart-beats itself and removes itself when done");
                        continue;
                    }

                    why = runState is null ? $"its flow run {(run is null ? "label is missing" : run + " is unknown to the server")}" : $"its flow run {run} is {runState}";
                }

                var removed = await docker.RunAsync(["rm", "--force", name], null, cancellationToken).ConfigureAwait(false);
                log(removed.Succeeded
                    ? $"removed container {name} left by an earlier start of this worker: {why}"
                    : $"could not remove container {name} ({why}): {removed.Tail}");
            }
        }
        catch (DockerException ex)
        {
            log(ex.Message);
        }
    }

    /// <summary>
    /// The mount of the image's compile cache: a docker volume per image repository (labelled
    /// <c>weir.compile-cache</c>) at <c>$WEIR_HOME/cache</c> of the image, so a flow compiled by one run is a
    /// cache hit for the next (keys hold the source and the runner's build, so a new image never takes a stale
    /// build). Null when the image sets no <c>WEIR_HOME</c> (its runner's cache folder is unknown).
    /// </summary>
    private static async Task<string?> CompileCacheAsync(DockerCli docker, string image, CancellationToken cancellationToken)
    {
        var inspected = await docker.RunAsync(["image", "inspect", "--format", "user={{.Config.User}}\n{{range .Config.Env}}{{println .}}{{end}}", image], null, cancellationToken).ConfigureAwait(false);
        var lines = inspected.StandardOutput.Split('\n').Select(l => l.Trim()).ToList();
        var home = lines.FirstOrDefault(l => l.StartsWith("WEIR_HOME=", StringComparison.Ordinal))?["WEIR_HOME=".Length..];

        // A fresh volume's folder belongs to root: an image running as another user could not write to it.
        var user = lines.FirstOrDefault(l => l.StartsWith("user=", StringComparison.Ordinal))?["user=".Length..] ?? string.Empty;
        if (!inspected.Succeeded || home is not { Length: > 1 } || !home.StartsWith('/') || home.Contains(',', StringComparison.Ordinal)
            || user is not ("" or "root" or "0" or "0:0" or "root:root"))
        {
            return null;
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var repository = at >= 0 ? image[..at] : image;
        var colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/'))
        {
            repository = repository[..colon];
        }

        var volume = "weir-compile-cache-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(repository)))[..16];
        return $"type=volume,source={volume},target={home.TrimEnd('/')}/cache,volume-label=weir.compile-cache={repository.Replace(",", string.Empty, StringComparison.Ordinal)}";
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
            await server.ReportAsync(new Client.EventBatch { Logs = [RunStart.Log(id, TimeProvider.System, LogLevel.Information, $"Pulling image {settings.Image}")] }, cancellationToken).ConfigureAwait(false);
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
