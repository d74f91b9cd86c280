using System.Text.Json.Nodes;
using Weir.Compiler;
using Weir.Client;

namespace Weir.Worker;

/// <summary>What a worker needs to prepare one flow run: the deployment's code location and recorded structure.</summary>
public sealed record RunRequest
{
    /// <summary>The flow run's id.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The deployment, as <c>flow/deployment</c>, for messages.</summary>
    public required string DeploymentName { get; init; }

    /// <summary><c>path/in/repo/file.cs:flow-name</c>, relative to where the pull steps leave the code.</summary>
    public required string Entrypoint { get; init; }

    /// <summary>The pull steps as stored on the deployment (block references not yet resolved).</summary>
    public JsonNode? PullSteps { get; init; }

    /// <summary>The structure recorded at deploy time, or null to skip the check.</summary>
    public FlowStructure? RecordedStructure { get; init; }

    /// <summary>A commit an earlier attempt of this run resolved: retries check out the same code.</summary>
    public string? PinnedCommit { get; init; }

    /// <summary>A build stored on the server: the run executes exactly it instead of compiling the pulled source. <value>Defaults to none.</value></summary>
    public string? BuildId { get; init; }

    /// <summary>The command that re-deploys, quoted in structure errors. <value>Defaults to <c>weir deploy DEPLOYMENT</c>.</value></summary>
    public string? RedeployCommand { get; init; }
}
