using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Weir.Worker.Launchers;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// Follows one Job's pod to its end: lists the pods (<c>job-name=NAME</c>), watches them from the list's resource version, and lists
/// again when the API server says that version is too old (410 Gone, as a status in the watch stream or as the response); streams
/// the flow container's log to the worker's <see cref="FlowOutput"/> once it runs; and gives up on a pod that does not start within
/// the pending timeout.
/// </summary>
internal sealed class JobFollower(IKubernetes client, KubernetesLauncherOptions options, Microsoft.Extensions.Logging.ILogger logger)
{
    private static readonly TimeSpan s_logDrain = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Follows Job <paramref name="name"/> in <paramref name="ns"/> until its pod ends (cancelling <paramref name="cancellationToken"/> throws).
    /// <paramref name="submitted"/> starts the pending timeout; <paramref name="adopted"/> follows a Job an earlier life of the worker started
    /// (its log from the last lines on, not from the start).
    /// </summary>
    public async Task<(PodVerdict Verdict, string What)> FollowAsync(string ns, string name, DateTimeOffset submitted, TimeSpan pendingTimeout, bool adopted,
        FlowOutput output, CancellationToken cancellationToken)
    {
        var time = options.Worker.TimeProvider;
        var what = $"flow Job {ns}/{name}";
        string? resourceVersion = null;
        V1Pod? last = null;
        Task? logs = null;
        using var stopLogs = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (resourceVersion is null)
                    {
                        var list = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{JobNames.JobNameLabel}={name}", cancellationToken: cancellationToken).ConfigureAwait(false);
                        resourceVersion = list.Metadata?.ResourceVersion;
                        foreach (var pod in list.Items ?? [])
                        {
                            if (Look(pod) is { } ended)
                            {
                                return ended;
                            }
                        }
                    }

                    // The watch ends at the pending deadline too, so a pod that never changes still times out.
                    var untilDeadline = last?.Status?.Phase is "Running" || logs is not null ? options.WatchTimeout : submitted + pendingTimeout - time.GetUtcNow();
                    if (untilDeadline <= TimeSpan.Zero)
                    {
                        return (new PodVerdict(true, -1,
                            $"stayed Pending for {pendingTimeout.TotalSeconds:0} s (job variable pending_timeout_seconds): {PodOutcome.WhyPending(last)}.", StopJob: true), What());
                    }

                    var gone = false;
                    using var watchWindow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    watchWindow.CancelAfter(untilDeadline < options.WatchTimeout ? untilDeadline : options.WatchTimeout);
                    var events = client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: $"{JobNames.JobNameLabel}={name}", resourceVersion: resourceVersion,
                        allowWatchBookmarks: true, timeoutSeconds: (int)Math.Max(1, options.WatchTimeout.TotalSeconds),
                        onError: ex => gone |= ex is KubernetesException { Status.Code: 410 }, cancellationToken: watchWindow.Token);
                    try
                    {
                        await foreach (var (type, pod) in events.ConfigureAwait(false))
                        {
                            resourceVersion = pod.Metadata?.ResourceVersion ?? resourceVersion;
                            if (type == WatchEventType.Bookmark)
                            {
                                continue;
                            }

                            if (type == WatchEventType.Deleted)
                            {
                                if (PodOutcome.Of(pod, JobManifest.FlowContainer) is { Ended: true } verdict)
                                {
                                    last = pod;
                                    return await EndAsync(verdict).ConfigureAwait(false);
                                }

                                last = pod;
                                return await EndAsync(new PodVerdict(true, -1, $"lost its pod {pod.Metadata?.Name} before it finished: it was deleted (a drained node, a preemption, or kubectl delete).")).ConfigureAwait(false);
                            }

                            if (Look(pod) is { } ended)
                            {
                                return ended.Verdict.Ended && logs is not null ? await EndAsync(ended.Verdict).ConfigureAwait(false) : ended;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The watch window closed (pending deadline or watch timeout): look again.
                        continue;
                    }

                    if (gone)
                    {
                        output.Progress($"the pod watch of Job {ns}/{name} is too old for the API server (410 Gone); listing its pods again");
                        resourceVersion = null;
                    }
                }
                catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
                {
                    output.Progress($"the pod watch of Job {ns}/{name} is too old for the API server (410 Gone); listing its pods again");
                    resourceVersion = null;
                }
                catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or KubernetesException && !cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarningSentence($"Watching the pods of Job {ns}/{name} failed ({KubernetesErrors.Describe(ex)}); trying again in {options.RetryDelay.TotalSeconds:0} s.");
                    await Task.Delay(options.RetryDelay, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await stopLogs.CancelAsync().ConfigureAwait(false);
            if (logs is not null)
            {
                await logs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        string What() => last?.Metadata?.Name is { } pod ? $"{what} (pod {pod})" : what;

        (PodVerdict Verdict, string What)? Look(V1Pod pod)
        {
            last = pod;
            var verdict = PodOutcome.Of(pod, JobManifest.FlowContainer);
            if (logs is null && (verdict.Running || verdict is { Ended: true, ExitCode: >= 0 }))
            {
                // A container that ran has a log: follow it while it runs, or read what it left when it ended between two looks.
                logs = StreamLogsAsync(ns, pod.Metadata.Name, follow: verdict.Running, tail: adopted ? 20 : null, output, stopLogs.Token);
            }

            return verdict.Ended ? (verdict, What()) : null;
        }

        async Task<(PodVerdict, string)> EndAsync(PodVerdict verdict)
        {
            if (logs is not null)
            {
                // The log stream ends with the container; give it a moment to deliver the last lines.
                await Task.WhenAny(logs, Task.Delay(s_logDrain, time, CancellationToken.None)).ConfigureAwait(false);
            }

            return (verdict, What());
        }
    }

    private async Task StreamLogsAsync(string ns, string pod, bool follow, int? tail, FlowOutput output, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.CoreV1.ReadNamespacedPodLogWithHttpMessagesAsync(pod, ns, container: JobManifest.FlowContainer, follow: follow, tailLines: tail,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(response.Body);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // Kubernetes keeps one log of both streams: each line may be an error, so each counts for the crash message's tail.
                output.Line(line, true);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            output.Progress($"the log of pod {ns}/{pod} could not be read ({KubernetesErrors.Describe(ex)}); the run's own logs still reach the server");
        }
    }
}
