using System.Text.Json.Nodes;

namespace Weir.Server.Storage;

/// <summary>A flow run to create from a deployment.</summary>
public sealed record NewFlowRun
{
    /// <summary>The deployment.</summary>
    public required DeploymentDto Deployment { get; init; }

    /// <summary>Parameters that override the deployment's defaults.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>When it should start. <value>Defaults to now.</value></summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The schedule time that creates it: at most one run per deployment and time.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
}
