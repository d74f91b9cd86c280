using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>A deployment as the server keeps it.</summary>
public sealed record DeploymentDto
{
    /// <summary>Its id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The deployment's name.</summary>
    public required string Name { get; init; }

    /// <summary><c>flow/deployment</c>.</summary>
    public string FullName => FlowName + "/" + Name;

    /// <summary>The entrypoint.</summary>
    public required string Entrypoint { get; init; }

    /// <summary>Pull steps (block references unresolved).</summary>
    public required JsonArray PullSteps { get; init; }

    /// <summary>The flow's structure as recorded at deploy time: its name, parameter schema (names, types, defaults) and tasks in call order.</summary>
    public required FlowStructure Structure { get; init; }

    /// <summary>Default parameters.</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>The work pool.</summary>
    public required string WorkPool { get; init; }

    /// <summary>Job variables.</summary>
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

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Flow-level retries.</summary>
    public int Retries { get; init; }

    /// <summary>Seconds between flow-level retries.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>Starts at 1; bumped when pull steps, entrypoint or structure change.</summary>
    public required int Version { get; init; }

    /// <summary>The stored build workers run, when the flow was registered with <c>StoredAsScript = false</c>.</summary>
    public string? BuildId { get; init; }

    /// <summary>Created.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Last updated.</summary>
    public required DateTimeOffset Updated { get; init; }
}
