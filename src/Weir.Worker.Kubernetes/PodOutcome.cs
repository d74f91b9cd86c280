using System.Globalization;
using k8s.Models;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// Reads a run's pod: still going, or how the run ended. The runner in the pod reports Completed and Failed itself (exit 0 and 1); what
/// it cannot report (killed for memory, evicted, an image that cannot be pulled, a pod that never starts) becomes a reason the worker
/// puts in the Crashed state's message.
/// </summary>
internal static class PodOutcome
{
    private static readonly HashSet<string> s_pullFailures = ["ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];
    private static readonly HashSet<string> s_createFailures = ["CreateContainerConfigError", "CreateContainerError"];

    /// <summary>The verdict on <paramref name="pod"/>; <paramref name="container"/> is the flow container's name.</summary>
    public static PodVerdict Of(V1Pod pod, string container)
    {
        var status = pod.Status;
        var flow = status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container) ?? status?.ContainerStatuses?.FirstOrDefault();
        var terminated = flow?.State?.Terminated;
        switch (status?.Phase)
        {
            case "Succeeded":
                return new PodVerdict(true, terminated?.ExitCode ?? 0);
            case "Failed":
                if (status.Reason == "Evicted")
                {
                    return new PodVerdict(true, terminated?.ExitCode ?? -1,
                        $"was evicted from node {pod.Spec?.NodeName ?? "(unknown)"}: {Trim(status.Message) ?? "no message"}. The run may go again (its retries) once the node has room; give it requests (job variable resources) that match what it uses.");
                }

                if (status.Reason == "DeadlineExceeded")
                {
                    return new PodVerdict(true, terminated?.ExitCode ?? -1,
                        $"ran longer than its active deadline and Kubernetes stopped it (DeadlineExceeded: {Trim(status.Message) ?? "no message"}); raise job variable active_deadline_seconds if the flow needs longer.");
                }

                return Terminated(pod, terminated, status.Reason, status.Message);
            case "Running" when terminated is null:
                return new PodVerdict(false, Running: true);
        }

        if (terminated is not null)
        {
            return Terminated(pod, terminated, status?.Reason, status?.Message);
        }

        // Pending: waiting to be scheduled, or for its image and container.
        var waiting = flow?.State?.Waiting;
        if (waiting?.Reason is { } reason && s_pullFailures.Contains(reason))
        {
            var image = flow?.Image ?? pod.Spec?.Containers?.FirstOrDefault()?.Image ?? "(unknown)";
            return new PodVerdict(true, -1,
                $"could not pull its image '{image}' ({reason}: {Trim(waiting.Message) ?? "no message"}). Check job variable 'image', that the cluster's nodes reach the registry, and that the pod may pull from it (imagePullSecrets in the job template).",
                StopJob: true);
        }

        if (waiting?.Reason is { } create && s_createFailures.Contains(create))
        {
            return new PodVerdict(true, -1,
                $"could not create its container ({create}: {Trim(waiting.Message) ?? "no message"}). Check what the job template's container refers to (Secrets, ConfigMaps, volumes) exists in the namespace.",
                StopJob: true);
        }

        return PodVerdict.Going;
    }

    /// <summary>What keeps a pod pending, for the pending timeout's message: the scheduler's word, or the container's waiting reason.</summary>
    public static string WhyPending(V1Pod? pod)
    {
        if (pod is null)
        {
            return "the Job controller made no pod (a quota or an admission webhook may refuse it: kubectl describe job shows why)";
        }

        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False" })
        {
            return $"it was not scheduled ({scheduled.Reason}: {Trim(scheduled.Message) ?? "no message"})";
        }

        var waiting = pod.Status?.ContainerStatuses?.Select(c => c.State?.Waiting).FirstOrDefault(w => w is not null);
        return waiting is null ? "its container did not start" : $"its container waits ({waiting.Reason}: {Trim(waiting.Message) ?? "no message"})";
    }

    private static PodVerdict Terminated(V1Pod pod, V1ContainerStateTerminated? terminated, string? podReason, string? podMessage)
    {
        if (terminated is null)
        {
            return new PodVerdict(true, -1, $"failed before its container ran ({podReason ?? "no reason"}: {Trim(podMessage) ?? "no message"}).");
        }

        var code = terminated.ExitCode;
        if (terminated.Reason == "OOMKilled")
        {
            var limit = pod.Spec?.Containers?.Select(c => c.Resources?.Limits).FirstOrDefault(l => l is not null && l.ContainsKey("memory"))?["memory"]?.ToString();
            return new PodVerdict(true, code,
                $"was killed for using more memory than its limit (OOMKilled, exit code {code.ToString(CultureInfo.InvariantCulture)}{(limit is null ? string.Empty : $", memory limit {limit}")}); raise job variable resources.limits.memory.");
        }

        if (terminated.Reason is "ContainerCannotRun" or "StartError")
        {
            return new PodVerdict(true, code, $"could not start its container ({terminated.Reason}: {Trim(terminated.Message) ?? "no message"}); check job variable 'command' and that the image has weir on its PATH.");
        }

        return new PodVerdict(true, code);
    }

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().TrimEnd('.');
}
