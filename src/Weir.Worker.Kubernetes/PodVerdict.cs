namespace Weir.Worker.Kubernetes;

/// <summary>What a run's pod says about the run.</summary>
/// <param name="Ended">True once the pod says how the run ended.</param>
/// <param name="ExitCode">The flow container's exit code (-1 when it never ran).</param>
/// <param name="Reason">Why it ended, when an exit code alone does not say (OOMKilled, evicted, an image that cannot be pulled), to follow "The flow Job ... ".</param>
/// <param name="StopJob">True when the Job must be deleted because its pod will never run (an image pull error, a pending timeout).</param>
/// <param name="Running">True while the flow container runs (its log can be followed).</param>
internal sealed record PodVerdict(bool Ended, int ExitCode = -1, string? Reason = null, bool StopJob = false, bool Running = false)
{
    /// <summary>Still waiting or running.</summary>
    public static PodVerdict Going { get; } = new(false);
}
