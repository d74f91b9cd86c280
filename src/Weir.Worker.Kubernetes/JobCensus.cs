using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// The Jobs of the worker's pool that are alive (no Complete or Failed condition, not being deleted), whoever submitted them,
/// listed every <see cref="KubernetesLauncherOptions.CensusInterval"/> in the namespaces the worker knows. The worker lists their
/// runs in its heart-beats, so the server takes a run for crashed only when no worker of the pool sees its Job alive.
/// </summary>
internal sealed class JobCensus(IKubernetes client, KubernetesLauncherOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<string, bool> _namespaces = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<Guid, JobRef> _alive = new Dictionary<Guid, JobRef>();

    /// <summary>The runs whose Jobs were alive at the last count.</summary>
    public IReadOnlyDictionary<Guid, JobRef> Alive => _alive;

    /// <summary>Counts in <paramref name="ns"/> too from now on (a deployment's job variables chose it).</summary>
    public void Track(string ns) => _namespaces.TryAdd(ns, true);

    /// <summary>Counts until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.CensusInterval, options.Worker.TimeProvider);
        try
        {
            do
            {
                await CountAsync(stop).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One count.</summary>
    public async Task CountAsync(CancellationToken cancellationToken)
    {
        var alive = new Dictionary<Guid, JobRef>();
        foreach (var ns in _namespaces.Keys)
        {
            try
            {
                var jobs = await client.BatchV1.ListNamespacedJobAsync(ns, labelSelector: $"{JobNames.PoolLabel}={JobNames.LabelValue(options.Worker.Pool)}", cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (var job in jobs.Items ?? [])
                {
                    if (IsAlive(job) && RunOf(job) is { } run)
                    {
                        alive[run] = new JobRef(ns, job.Metadata.Name);
                    }
                }
            }
            catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // Keep what the last count saw in this namespace: a run is not taken for crashed because the API server did not answer once.
                foreach (var (run, job) in _alive.Where(a => a.Value.Namespace == ns))
                {
                    alive[run] = job;
                }

                logger.LogWarningSentence($"Listing the Jobs of pool '{options.Worker.Pool}' in namespace '{ns}' failed ({KubernetesErrors.Describe(ex)}); trying again in {options.CensusInterval.TotalSeconds:0} s.");
            }
        }

        _alive = alive;
    }

    /// <summary>True while a Job may still run its pod: not finished, not being deleted.</summary>
    public static bool IsAlive(V1Job job) =>
        job.Metadata?.DeletionTimestamp is null
        && !(job.Status?.Conditions ?? []).Any(c => c.Type is "Complete" or "Failed" && c.Status == "True");

    /// <summary>The flow run a Job runs, from its label.</summary>
    public static Guid? RunOf(V1Job job) =>
        job.Metadata?.Labels is { } labels && labels.TryGetValue(JobNames.RunLabel, out var id) && Guid.TryParse(id, out var run) ? run : null;
}
