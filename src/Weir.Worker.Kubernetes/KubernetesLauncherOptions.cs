using System.Text.Json.Nodes;

namespace Weir.Worker.Kubernetes;

/// <summary>Options for the <c>kubernetes</c> pool's launcher.</summary>
public sealed class KubernetesLauncherOptions
{
    /// <summary>The worker's pool, name, clock and logs: Jobs are labelled with the pool and name. <value>Defaults to the defaults of <see cref="WorkerOptions"/>.</value></summary>
    public WorkerOptions Worker { get; init; } = new() { Pool = "default" };

    /// <summary>
    /// The kubeconfig file to use. <value>Defaults to <c>KUBECONFIG</c>; without it the worker's own service account when it runs in a
    /// cluster (in-cluster config), else <c>~/.kube/config</c>.</value>
    /// </summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context. <value>Defaults to the kubeconfig's current context.</value></summary>
    public string? Context { get; init; }

    /// <summary>
    /// The namespace of Jobs whose job variables name none, and where the worker looks for the Jobs it left at its start.
    /// <value>Defaults to the kubeconfig context's namespace, the worker pod's own namespace in a cluster, else <c>default</c>.</value>
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>The server's URL as flow pods reach it (<c>WEIR_API_URL</c> in their environment). <value>Defaults to the URL the worker uses.</value></summary>
    public string? ApiUrl { get; init; }

    /// <summary>The image of deployments whose job variables name none. <value>Defaults to none: such a run fails, naming the job variable.</value></summary>
    public string? DefaultImage { get; init; }

    /// <summary>
    /// Where the pool's job template comes from, read before each submit (so a template changed with <c>weir work-pool create</c>
    /// applies to the next run). Null, or a null result: the built-in template. <value>Defaults to none.</value>
    /// </summary>
    public Func<CancellationToken, Task<JsonObject?>>? PoolTemplate { get; init; }

    /// <summary>The Kubernetes client to use instead of one from the kubeconfig (tests). <value>Defaults to none.</value></summary>
    public k8s.IKubernetes? Client { get; init; }

    /// <summary>How often the worker lists its pool's Jobs to tell the server which runs are alive. <value>Defaults to 5 s.</value></summary>
    public TimeSpan CensusInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one pod watch request lasts before the worker opens the next (from the last resource version). <value>Defaults to 5 min.</value></summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the worker waits after a failed call to the API server before it tries again. <value>Defaults to 2 s.</value></summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
