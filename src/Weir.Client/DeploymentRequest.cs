using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>Creates or updates a deployment (what <c>weir deploy</c> sends). Holds no secret: block references stay references.</summary>
public sealed record DeploymentRequest
{
    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The deployment's name, unique per flow.</summary>
    public required string Name { get; init; }

    /// <summary><c>path/in/repo/file.cs:flow-name</c>.</summary>
    public required string Entrypoint { get; init; }

    /// <summary>The pull steps workers run, as in <c>weir.yaml</c>.</summary>
    public required JsonArray PullSteps { get; init; }

    /// <summary>The flow's structure (name, parameter schema, tasks) as recorded at deploy time.</summary>
    public required FlowStructure Structure { get; init; }

    /// <summary>Default parameters.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>The work pool.</summary>
    public string WorkPool { get; init; } = "default";

    /// <summary>Settings for the pool's runs (image, environment).</summary>
    public JsonObject? JobVariables { get; init; }

    /// <summary>Schedules.</summary>
    public IReadOnlyList<ScheduleDto> Schedules { get; init; } = [];

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// Blocks the deployment's flow code reads (<c>Secret.GetAsync</c>, <c>Block.GetAsync</c>) beyond those its pull
    /// steps refer to, as <c>TYPE/NAME</c> (a bare name is a <c>secret</c> block): with the steps' references they are
    /// all its runs' tokens may read (<see cref="BlockReference.DeclaredBy(DeploymentDto)"/>). <value>Defaults to none.</value>
    /// </summary>
    public IReadOnlyList<string> Blocks { get; init; } = [];

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>Flow-level retries of each run.</summary>
    public int Retries { get; init; }

    /// <summary>Seconds between flow-level retries.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>A build stored on the server (<c>StoredAsScript = false</c>): workers run exactly it instead of compiling the source. <value>Defaults to none.</value></summary>
    public string? BuildId { get; init; }

    /// <summary>
    /// What decides the deployment's version: it changes only when the pull steps, the entrypoint, the structure,
    /// the image a container pool runs or the stored build change. Computed from those fields on both sides.
    /// </summary>
    public string VersionKey
    {
        get
        {
            var image = JobVariables?["image"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
                PullSteps.ToJsonString() + "\n" + Entrypoint + "\n" + Structure.Hash + (BuildId is null ? string.Empty : "\n" + BuildId)
                + (image is null ? string.Empty : "\nimage " + image))));
        }
    }
}
