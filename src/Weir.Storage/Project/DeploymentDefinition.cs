using Weir.Storage.Config;
using Weir.Storage.Steps;

namespace Weir.Storage.Project;

/// <summary>One entry of <c>deployments:</c> in <c>weir.yaml</c>.</summary>
public sealed record DeploymentDefinition
{
    /// <summary>The deployment's name, unique per flow.</summary>
    public required string Name { get; init; }

    /// <summary><c>path/in/repo/file.cs:flow-name</c>.</summary>
    public required string Entrypoint { get; init; }

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>The work pool whose workers run it.</summary>
    public string WorkPool { get; init; } = "default";

    /// <summary>Settings for the work pool's runs (image, environment, ...), placeholders not yet resolved.</summary>
    public ConfigMap? JobVariables { get; init; }

    /// <summary>Default parameters, placeholders not yet resolved.</summary>
    public ConfigMap? Parameters { get; init; }

    /// <summary>Schedules.</summary>
    public IReadOnlyList<ScheduleDefinition> Schedules { get; init; } = [];

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// <c>blocks:</c>, the blocks the flow code reads (<c>Secret.GetAsync</c>, <c>Block.GetAsync</c>) as <c>TYPE/NAME</c>, or
    /// <c>NAME</c> for a secret block. With the blocks the pull steps refer to, they are all the runs' tokens may read.
    /// </summary>
    public IReadOnlyList<string> Blocks { get; init; } = [];

    /// <summary>Flow-level retries of each run (a crashed or failed run is run again).</summary>
    public int Retries { get; init; }

    /// <summary>Seconds between flow-level retries.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>Pull steps for this deployment only, replacing the project's.</summary>
    public IReadOnlyList<StepDefinition>? Pull { get; init; }

    /// <summary>Push steps for this deployment only, replacing the project's.</summary>
    public IReadOnlyList<StepDefinition>? Push { get; init; }

    /// <summary>Build steps for this deployment only, replacing the project's.</summary>
    public IReadOnlyList<StepDefinition>? Build { get; init; }

    /// <summary>Where it stands in the file.</summary>
    public required SourceLocation Location { get; init; }
}
