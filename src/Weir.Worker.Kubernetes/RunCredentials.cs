namespace Weir.Worker.Kubernetes;

/// <summary>
/// What a flow's pod reports to the server with, kept in one place: the values go into the run's Kubernetes Secret (never into the
/// Job's spec as plain env) and the flow container reads them with <c>envFrom</c>. Today that is the credential the worker's
/// <see cref="IWorkerServer.ChildEnvironment"/> gives its own flow processes and containers (<c>WEIR_API_KEY</c> when the server
/// needs one); when runs get tokens of their own, this is where the pod gets the run's token instead, and nothing else changes.
/// </summary>
internal static class RunCredentials
{
    /// <summary>The variables that are not secret and go into the Job's env as they are.</summary>
    private static readonly HashSet<string> s_plain = new(StringComparer.Ordinal) { "WEIR_API_URL", "WEIR_HOME", "WEIR_FLOW_RUN_ID" };

    /// <summary>The secret environment of the run's flow container (empty when the server needs no credential).</summary>
    public static IReadOnlyDictionary<string, string> For(IReadOnlyDictionary<string, string> childEnvironment) =>
        childEnvironment.Where(e => !s_plain.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
