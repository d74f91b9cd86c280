using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Weir.Client;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// The Job and Secret of one attempt of a flow run, made from its pool's job template and its deployment's job variables (checked
/// against the template's schema first), read into the KubernetesClient models and checked against them (<see cref="ManifestCheck"/>).
/// </summary>
/// <param name="Job">The Job.</param>
/// <param name="Secret">The Secret with the run's credentials that the Job's flow container reads (<c>envFrom</c>).</param>
/// <param name="PendingTimeout">How long the pod may wait to start before the run is Crashed (job variable <c>pending_timeout_seconds</c>).</param>
internal sealed record JobManifest(V1Job Job, V1Secret Secret, TimeSpan PendingTimeout)
{
    /// <summary>The name of the container that runs the flow, when the template has one of that name (else the first container).</summary>
    public const string FlowContainer = "flow";

    /// <summary>The Job's name.</summary>
    public string Name => Job.Metadata.Name;

    /// <summary>The Job's namespace.</summary>
    public string Namespace => Job.Metadata.NamespaceProperty;

    /// <summary>Renders <paramref name="template"/> for <paramref name="run"/>. Errors are <see cref="KubernetesPoolException"/>s naming the variable or field.</summary>
    public static JobManifest Build(KubernetesJobTemplate template, ClaimedRun run, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(context);
        var where = $"Deployment '{run.DeploymentName}' (kubernetes pool '{context.Pool}')";
        var given = run.JobVariables?.DeepClone() as JsonObject ?? [];
        if (given["image"] is null && context.DefaultImage is { } image)
        {
            given["image"] = image;
        }

        if (given["image"] is null && template.Variables.Names.Contains("image"))
        {
            throw new KubernetesPoolException(
                $"Deployment '{run.DeploymentName}' names no image for the kubernetes pool '{context.Pool}': set work_pool.job_variables.image in weir.yaml "
                + "(for example '{{ build_image.image }}' after a build_docker_image step with id build_image) and deploy again, or start the worker with --image.");
        }

        var values = template.Variables.Apply(given, where);
        var name = JobNames.Job(run.FlowRunId, run.Attempt);
        values["namespace"] ??= context.Namespace;
        values["command"] ??= new JsonArray("weir", "flow-run", "execute", run.FlowRunId.ToString());
        if (values["env"] is JsonObject env)
        {
            // Deployments write env as a mapping; a container's env is a list of name/value pairs.
            values["env"] = new JsonArray([.. env.Select(e => (JsonNode)new JsonObject { ["name"] = e.Key, ["value"] = JobVariableSchema.Text(env, e.Key) ?? string.Empty })]);
        }

        values["flow_run_id"] = run.FlowRunId.ToString();
        values["flow_name"] = run.FlowName;
        values["deployment"] = run.DeploymentName;
        values["attempt"] = run.Attempt;
        values["job_name"] = name;
        values["pool"] = context.Pool;
        values["worker"] = context.Worker;

        var rendered = TemplateRenderer.Render(template.Manifest, values);
        var what = $"The Job that {template.Where} makes for deployment '{run.DeploymentName}'";
        ManifestCheck.Check<V1Job>(rendered, what);
        var job = KubernetesJson.Deserialize<V1Job>(rendered.ToJsonString());
        var secret = Complete(job, run, context, name, what);

        var pending = JobVariableSchema.Integer(values, "pending_timeout_seconds") is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
        var manifest = new JobManifest(job, secret, pending);
        ManifestCheck.Check<V1Job>(JsonNode.Parse(KubernetesJson.Serialize(job))!, what);
        ManifestCheck.Check<V1Secret>(JsonNode.Parse(KubernetesJson.Serialize(secret))!, $"The Secret of flow run {run.FlowRunId}");
        return manifest;
    }

    /// <summary>What the worker sets whatever the template says: name, namespace, labels, one attempt, the flow container's command and environment.</summary>
    private static V1Secret Complete(V1Job job, ClaimedRun run, JobContext context, string name, string what)
    {
        job.Metadata ??= new V1ObjectMeta();
        job.Metadata.Name = name;
        job.Metadata.GenerateName = null;
        if (string.IsNullOrEmpty(job.Metadata.NamespaceProperty))
        {
            job.Metadata.NamespaceProperty = context.Namespace;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [JobNames.RunLabel] = run.FlowRunId.ToString(),
            [JobNames.PoolLabel] = JobNames.LabelValue(context.Pool),
            [JobNames.WorkerLabel] = JobNames.LabelValue(context.Worker),
            [JobNames.AttemptLabel] = run.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["app.kubernetes.io/managed-by"] = "weir",
        };
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [JobNames.PoolLabel] = context.Pool,
            [JobNames.WorkerLabel] = context.Worker,
            ["weir.deployment"] = run.DeploymentName,
        };
        job.Metadata.Labels = Merge(job.Metadata.Labels, labels);
        job.Metadata.Annotations = Merge(job.Metadata.Annotations, annotations);

        var spec = job.Spec ?? throw new KubernetesPoolException($"{what} has no spec.");
        if (spec.BackoffLimit is { } backoff && backoff != 0)
        {
            throw new KubernetesPoolException(
                $"{what} sets spec.backoffLimit to {backoff}; a Job of Weir runs its pod once (Weir retries runs itself, as the deployment's retries say), so set it to 0.");
        }

        spec.BackoffLimit = 0;
        spec.Template.Metadata ??= new V1ObjectMeta();
        spec.Template.Metadata.Labels = Merge(spec.Template.Metadata.Labels, labels);
        var pod = spec.Template.Spec;
        if (pod.RestartPolicy is { } restart && restart != "Never")
        {
            throw new KubernetesPoolException(
                $"{what} sets spec.template.spec.restartPolicy to {restart}; a Job of Weir runs its flow once, so set it to Never.");
        }

        pod.RestartPolicy = "Never";
        if (pod.Containers.Count == 0)
        {
            throw new KubernetesPoolException($"{what} has no container in spec.template.spec.containers; add one named '{FlowContainer}' with image '{{{{ image }}}}'.");
        }

        var flow = pod.Containers.FirstOrDefault(c => c.Name == FlowContainer) ?? pod.Containers[0];
        if (flow.Command is null or { Count: 0 } && flow.Args is null or { Count: 0 })
        {
            flow.Command = ["weir", "flow-run", "execute", run.FlowRunId.ToString()];
        }

        var secretName = JobNames.Secret(run.FlowRunId, run.Attempt);
        // The template's and the deployment's env, less what the worker sets and the credentials no flow gets (FlowEnvironment.Withheld:
        // an admin key, worker keys, the server's secret key and database URL); the run's token comes from the Secret alone.
        var environment = (flow.Env ?? [])
            .Where(e => e.Name is not ("WEIR_API_URL" or "WEIR_FLOW_RUN_ID") && !context.Credentials.ContainsKey(e.Name) && !FlowEnvironment.Withheld.Contains(e.Name, StringComparer.Ordinal))
            .ToList();
        environment.Add(new V1EnvVar { Name = "WEIR_API_URL", Value = context.ApiUrl });
        environment.Add(new V1EnvVar { Name = "WEIR_FLOW_RUN_ID", Value = run.FlowRunId.ToString() });
        flow.Env = environment;
        flow.EnvFrom = [.. flow.EnvFrom ?? [], new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secretName } }];

        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = secretName, NamespaceProperty = job.Metadata.NamespaceProperty, Labels = labels, Annotations = annotations },
            Type = "Opaque",
            Immutable = true,
            Data = context.Credentials.ToDictionary(c => c.Key, c => System.Text.Encoding.UTF8.GetBytes(c.Value), StringComparer.Ordinal),
        };
    }

    private static Dictionary<string, string> Merge(IDictionary<string, string>? existing, Dictionary<string, string> weir)
    {
        var merged = new Dictionary<string, string>(existing ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in weir)
        {
            merged[key] = value;
        }

        return merged;
    }
}
