using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Worker.Launchers;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// The <c>kubernetes</c> pool: a batch/v1 Job per flow run, made from the pool's job template and the deployment's job variables
/// (<see cref="JobManifest"/>), whose container runs <c>weir flow-run execute RUN_ID</c>; the run's credentials go in a Secret of its
/// own that the Job owns. The worker follows the Job's pod (<see cref="JobFollower"/>), streams its log, and turns how it ended into
/// the run's state (the runner reports Completed and Failed itself; OOMKilled, eviction, image pull errors and a pod pending past its
/// timeout become Crashed with the reason). Cancellation deletes the Job (propagation Foreground). A stopping worker leaves its Jobs
/// running: at its next start it takes up those whose run is still going and deletes those whose run is over
/// (<see cref="StartAsync"/>), and meanwhile every worker of the pool lists the runs of the pool's live Jobs in its heart-beats
/// (<see cref="JobCensus"/>), so the server takes a run for crashed only when no worker sees its Job alive.
/// </summary>
internal sealed class KubernetesFlowLauncher : IFlowLauncher, IDisposable
{
    private readonly IWorkerServer _server;
    private readonly KubernetesLauncherOptions _options;
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly ILogger _logger;
    private readonly JobCensus _census;
    private readonly JobFollower _follower;
    private CancellationToken _workerStop;
    private Task? _counting;

    public KubernetesFlowLauncher(IWorkerServer server, KubernetesLauncherOptions options)
    {
        _server = server;
        _options = options;
        (_client, _namespace) = KubernetesConnection.Connect(options);
        _logger = options.Worker.LoggerFactory.CreateLogger("Weir.Worker.Kubernetes");
        _census = new JobCensus(_client, options, _logger);
        _census.Track(_namespace);
        _follower = new JobFollower(_client, options, _logger);
    }

    /// <inheritdoc />
    public string PoolType => WorkPoolTypes.Kubernetes;

    /// <summary>The namespace of Jobs whose job variables name none.</summary>
    public string Namespace => _namespace;

    /// <inheritdoc />
    public IReadOnlyCollection<Guid> SeenAlive => [.. _census.Alive.Keys];

    /// <inheritdoc />
    public async Task<IReadOnlyList<AdoptedRun>> StartAsync(CancellationToken stop)
    {
        _workerStop = stop;
        var adopted = new List<AdoptedRun>();
        var selector = $"{JobNames.PoolLabel}={JobNames.LabelValue(_options.Worker.Pool)},{JobNames.WorkerLabel}={JobNames.LabelValue(_options.Worker.Name)}";
        try
        {
            var jobs = await _client.BatchV1.ListNamespacedJobAsync(_namespace, labelSelector: selector, cancellationToken: stop).ConfigureAwait(false);
            foreach (var job in jobs.Items ?? [])
            {
                if (await AdoptOrCleanAsync(job, stop).ConfigureAwait(false) is { } run)
                {
                    adopted.Add(run);
                }
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException && !stop.IsCancellationRequested)
        {
            _logger.LogWarningSentence($"Could not list the Jobs an earlier start of worker {_options.Worker.Name} left in namespace '{_namespace}' ({KubernetesErrors.Describe(ex)}); "
                + "their runs stay alive while the pool's workers see them, and the server marks them Crashed if none does.");
        }

        await _census.CountAsync(stop).ConfigureAwait(false);
        _counting = Task.Run(() => _census.RunAsync(stop), CancellationToken.None);
        return adopted;
    }

    /// <inheritdoc />
    public async Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        JobManifest manifest;
        try
        {
            var template = await TemplateAsync(cancellationToken).ConfigureAwait(false);
            var apiUrl = _options.ApiUrl ?? (_server.ChildEnvironment.TryGetValue("WEIR_API_URL", out var url) ? url : null)
                ?? throw new RunPreparationException("The kubernetes worker does not know the server's URL for flow pods; start it with --job-api-url URL.");
            manifest = JobManifest.Build(template, run, new JobContext(_options.Worker.Pool, _options.Worker.Name, _namespace, _options.DefaultImage, apiUrl,
                RunCredentials.For(run)));
        }
        catch (KubernetesPoolException ex)
        {
            throw new RunPreparationException(ex.Message, ex);
        }

        var (ns, name) = (manifest.Namespace, manifest.Name);
        _census.Track(ns);
        manifest.Job.Metadata.Annotations["weir.pending-timeout-seconds"] = manifest.PendingTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var image = manifest.Job.Spec.Template.Spec.Containers.FirstOrDefault(c => c.Name == JobManifest.FlowContainer)?.Image ?? manifest.Job.Spec.Template.Spec.Containers[0].Image;
        output.Progress($"submitting Job {ns}/{name} (image {image})");
        var adopted = false;
        try
        {
            await CreateSecretAsync(manifest.Secret, ns, cancellationToken).ConfigureAwait(false);
            V1Job created;
            try
            {
                created = await _client.BatchV1.CreateNamespacedJobAsync(manifest.Job, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                // The name holds the run id and attempt: this attempt is already submitted (a retried request, another worker). Follow that Job.
                adopted = true;
                output.Progress($"Job {ns}/{name} already exists: attempt {run.Attempt} of this run was submitted before; following that Job instead of starting another");
                created = await _client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await OwnSecretAsync(manifest.Secret.Metadata.Name, ns, created, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            throw new RunPreparationException(KubernetesErrors.Refused(ex, $"the Job {name} of flow run {run.FlowRunId}", ns), ex);
        }

        return await FollowAsync(ns, name, _options.Worker.TimeProvider.GetUtcNow(), manifest.PendingTimeout, adopted, output, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopSeenAsync(Guid flowRunId, CancellationToken cancellationToken)
    {
        if (_census.Alive.TryGetValue(flowRunId, out var job))
        {
            await DeleteJobAsync(job.Namespace, job.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => (_client as IDisposable)?.Dispose();

    private async Task<KubernetesJobTemplate> TemplateAsync(CancellationToken cancellationToken)
    {
        JsonObject? template;
        try
        {
            template = _options.PoolTemplate is { } source ? await source(cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or WeirApiException)
        {
            throw new RunPreparationException($"Could not read the job template of work pool '{_options.Worker.Pool}' from the server ({ex.Message}).", ex);
        }

        return template is null ? KubernetesJobTemplate.Default : KubernetesJobTemplate.Parse(template, $"the job template of work pool '{_options.Worker.Pool}'");
    }

    private async Task CreateSecretAsync(V1Secret secret, string ns, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // The same attempt submitted before: its Secret holds the same credential.
        }
    }

    /// <summary>Makes the Job the Secret's owner, so the Secret goes when the Job goes (deleted, or by its ttlSecondsAfterFinished).</summary>
    private async Task OwnSecretAsync(string secret, string ns, V1Job job, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "batch/v1",
                    ["kind"] = "Job",
                    ["name"] = job.Metadata.Name,
                    ["uid"] = job.Metadata.Uid,
                }),
            },
        };
        try
        {
            await _client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), secret, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            _logger.LogWarningSentence($"Could not make Job {ns}/{job.Metadata.Name} the owner of its Secret {secret} ({KubernetesErrors.Describe(ex)}); delete the Secret by hand once the run is over.");
        }
    }

    private async Task<FlowExit> FollowAsync(string ns, string name, DateTimeOffset submitted, TimeSpan pendingTimeout, bool adopted, FlowOutput output, CancellationToken cancellationToken)
    {
        var what = $"flow Job {ns}/{name}";
        try
        {
            var (verdict, described) = await _follower.FollowAsync(ns, name, submitted, pendingTimeout, adopted, output, cancellationToken).ConfigureAwait(false);
            if (verdict.StopJob)
            {
                await DeleteJobAsync(ns, name, CancellationToken.None).ConfigureAwait(false);
            }

            // A reason means the pod died in a way the runner could not report: never an exit code the worker reads as Completed, Failed or could-not-start.
            var code = verdict.Reason is not null && verdict.ExitCode is 0 or 1 or FlowExit.CouldNotStart ? -1 : verdict.ExitCode;
            return new FlowExit(described, code, Killed: false) { Reason = verdict.Reason };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (_workerStop.IsCancellationRequested)
            {
                // The worker stops, the Job goes on: the next start of this worker takes it up, and the pool's workers keep it alive meanwhile.
                output.Progress($"leaving Job {ns}/{name} running: the worker stops");
                return new FlowExit(what, -1, Killed: false) { Detached = true };
            }

            output.Progress($"deleting Job {ns}/{name}: the run is cancelled");
            await DeleteJobAsync(ns, name, CancellationToken.None).ConfigureAwait(false);
            return new FlowExit(what, 137, Killed: true);
        }
    }

    private async Task DeleteJobAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.BatchV1.DeleteNamespacedJobAsync(name, ns, new V1DeleteOptions { PropagationPolicy = "Foreground" }, propagationPolicy: "Foreground",
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            _logger.LogWarningSentence($"Could not delete Job {ns}/{name} ({KubernetesErrors.Describe(ex)}); delete it by hand: kubectl delete job {name} -n {ns} --cascade=foreground");
        }
    }

    /// <summary>
    /// A Job an earlier life of this worker submitted: taken up again while its run is still going on this attempt; deleted while it
    /// runs for a run that is over, unknown, re-scheduled or on a later attempt (nothing would report it); left to its
    /// ttlSecondsAfterFinished when finished and its run is over.
    /// </summary>
    private async Task<AdoptedRun?> AdoptOrCleanAsync(V1Job job, CancellationToken cancellationToken)
    {
        var (ns, name) = (job.Metadata.NamespaceProperty ?? _namespace, job.Metadata.Name);
        if (JobCensus.RunOf(job) is not { } id)
        {
            return null;
        }

        FlowRunDto? run;
        try
        {
            run = await _server.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or WeirApiException)
        {
            _logger.LogWarningSentence($"Leaving Job {ns}/{name} of flow run {id} alone: could not ask the server about the run ({ex.Message}).");
            return null;
        }

        var attempt = job.Metadata.Labels.TryGetValue(JobNames.AttemptLabel, out var a) && int.TryParse(a, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (run is { } r && !r.State.IsTerminal() && r.State != StateType.Scheduled && r.RunCount == attempt)
        {
            _logger.LogInformation("Job {Namespace}/{Job} of an earlier start of this worker runs flow run {Run} ({State}); following it again.", ns, name, id, r.State);
            var pending = job.Metadata.Annotations?.TryGetValue("weir.pending-timeout-seconds", out var p) == true && double.TryParse(p, CultureInfo.InvariantCulture, out var s)
                ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(5);
            var submitted = job.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : _options.Worker.TimeProvider.GetUtcNow();
            return new AdoptedRun(id, r.DeploymentName ?? r.FlowName, (output, token) => FollowAsync(ns, name, submitted, pending, adopted: true, output, token));
        }

        if (!JobCensus.IsAlive(job))
        {
            return null;
        }

        var why = run is null ? "the server does not know its run" : run.RunCount != attempt ? $"its run is on attempt {run.RunCount} now" : $"its run is {run.State}";
        _logger.LogInformation("Deleting Job {Namespace}/{Job} of flow run {Run}, left by an earlier start of this worker: {Why}.", ns, name, id, why);
        await DeleteJobAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
