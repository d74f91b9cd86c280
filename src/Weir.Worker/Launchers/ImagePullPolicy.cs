namespace Weir.Worker.Launchers;

/// <summary>When a container worker pulls a run's image (job variable <c>image_pull_policy</c>, Kubernetes' names).</summary>
public enum ImagePullPolicy
{
    /// <summary>Pull only when the daemon does not have the image (the default).</summary>
    IfNotPresent,

    /// <summary>Pull before every run (a moving tag such as <c>latest</c> then runs its newest image).</summary>
    Always,

    /// <summary>Never pull; the image must be there.</summary>
    Never,
}
