using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>
/// What a claim hands a worker for one flow run: everything it needs to prepare and run it, from the run (its
/// id, parameters, retries and the commit an earlier attempt pinned) and from its deployment (where the code is,
/// the recorded structure, the pool's settings). One description of the run, the same in the worker, in a
/// container's runner and on the wire.
/// </summary>
public sealed record ClaimedRun
{
    /// <summary>The flow run's id.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The deployment, as <c>flow/deployment</c>.</summary>
    public required string DeploymentName { get; init; }

    /// <summary><c>path/in/repo/file.cs:flow-name</c>, relative to where the pull steps leave the code.</summary>
    public required string Entrypoint { get; init; }

    /// <summary>The pull steps as stored on the deployment (block references not yet resolved).</summary>
    public JsonArray PullSteps { get; init; } = [];

    /// <summary>The structure recorded at deploy time, or null to skip the check.</summary>
    public FlowStructure? Structure { get; init; }

    /// <summary>The run's parameters.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>Flow-level retries the run may still use (the run's own count, set from its deployment when it was created).</summary>
    public int Retries { get; init; }

    /// <summary>Seconds between flow-level retries.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>The deployment's settings for its pool's runs (a container pool reads <c>image</c>, <c>env</c>, ...).</summary>
    public JsonObject? JobVariables { get; init; }

    /// <summary>A build stored on the server: the run executes exactly it instead of compiling the pulled source.</summary>
    public string? BuildId { get; init; }

    /// <summary>A commit an earlier attempt of this run resolved: retries check out the same code.</summary>
    public string? PinnedCommit { get; init; }

    /// <summary>
    /// Which claim of the run this is (1 for the first, 2 after one crash re-scheduled it, ...). A Kubernetes Job is named
    /// from the run id and this, so a second submit of the same attempt finds the first Job instead of starting another.
    /// </summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// The credential the server issued for this attempt of the run: it may report the run (states, task runs, logs,
    /// heart-beats), read the variables and read the blocks the run's deployment declares, and nothing else; it is
    /// refused once the attempt has ended (plus a short grace). A worker hands only this to the run's flow code,
    /// container and shell steps, never its own key. Null when the claim did not come from a server (tests).
    /// </summary>
    public string? RunToken { get; init; }

    /// <summary>The command that re-deploys, quoted in structure errors.</summary>
    public string RedeployCommand => $"weir deploy {DeploymentName[(DeploymentName.IndexOf('/', StringComparison.Ordinal) + 1)..]}";

    /// <summary>The description of <paramref name="run"/> of <paramref name="deployment"/>, with the attempt's <paramref name="runToken"/> when there is one.</summary>
    public static ClaimedRun From(FlowRunDto run, DeploymentDto deployment, string? runToken = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(deployment);
        return new ClaimedRun
        {
            FlowRunId = run.Id,
            FlowName = deployment.FlowName,
            DeploymentName = deployment.FullName,
            Entrypoint = deployment.Entrypoint,
            PullSteps = deployment.PullSteps,
            Structure = deployment.Structure,
            Parameters = run.Parameters,
            Retries = run.Retries,
            RetryDelaySeconds = deployment.RetryDelaySeconds,
            JobVariables = deployment.JobVariables,
            BuildId = deployment.BuildId,
            PinnedCommit = run.Commit,
            Attempt = Math.Max(1, run.RunCount),
            RunToken = runToken,
        };
    }
}
