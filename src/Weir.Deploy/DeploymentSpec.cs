using System.Text.Json.Nodes;
using Weir.Compiler;
using Weir.Storage.Project;
using Weir.Client;

namespace Weir.Deploy;

/// <summary>Everything <c>weir deploy</c> sends to the server for one deployment. No secret is ever in it.</summary>
internal sealed record DeploymentSpec
{
    public required string Name { get; init; }

    public required string FlowName { get; init; }

    public required string Entrypoint { get; init; }

    public required JsonArray PullSteps { get; init; }

    public required FlowStructure Structure { get; init; }

    public required JsonObject Parameters { get; init; }

    public required string WorkPool { get; init; }

    public JsonObject? JobVariables { get; init; }

    public IReadOnlyList<ScheduleDefinition> Schedules { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Description { get; init; }

    public int Retries { get; init; }

    public double RetryDelaySeconds { get; init; }

    /// <summary>The build stored on the server that workers run (<c>StoredAsScript = false</c>), or null to compile the pulled source.</summary>
    public string? BuildId { get; init; }

    /// <summary>The image a container pool runs (<c>job_variables.image</c>), when there is one: for such a deployment it is where the code is.</summary>
    public string? Image => JobVariables?["image"] is JsonValue value && value.TryGetValue<string>(out var image) ? image : null;

    /// <summary>What decides the deployment's version: it changes only when the pull steps, the entrypoint, the structure, the image or the stored build change.</summary>
    public string VersionKey => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(PullSteps.ToJsonString() + "\n" + Entrypoint + "\n" + Structure.Hash + (BuildId is null ? string.Empty : "\n" + BuildId)
            + (Image is null ? string.Empty : "\nimage " + Image))));
}
