using Weir.Client;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// What a flow's pod reports to the server with, kept in one place: the run's own token (<see cref="ClaimedRun.RunToken"/>, issue 16),
/// never the worker's key. It goes into the run's Kubernetes Secret (never into the Job's spec as plain env) and the flow container
/// reads it with <c>envFrom</c> as <c>WEIR_RUN_TOKEN</c>; the runner in the pod takes it from there before the flow's code runs.
/// The token may report only that run and read only the blocks its deployment declares, and is refused once the run has ended.
/// </summary>
internal static class RunCredentials
{
    /// <summary>The secret environment of <paramref name="run"/>'s flow container (empty when the server issued no token: a server without keys).</summary>
    public static IReadOnlyDictionary<string, string> For(ClaimedRun run) =>
        run.RunToken is { Length: > 0 } token
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [WeirClientOptions.RunTokenVariable] = token }
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
