using Weir.Storage.Steps;

namespace Weir.Storage.Project;

/// <summary>A project's <c>weir.yaml</c>: its name, build, push and pull steps, and deployments.</summary>
public sealed record WeirProject
{
    /// <summary>The file it was read from.</summary>
    public required string Path { get; init; }

    /// <summary>The project's name.</summary>
    public string? Name { get; init; }

    /// <summary>Steps that build artifacts (images) at deploy time.</summary>
    public IReadOnlyList<StepDefinition> Build { get; init; } = [];

    /// <summary>Steps that upload the code at deploy time.</summary>
    public IReadOnlyList<StepDefinition> Push { get; init; } = [];

    /// <summary>Steps workers run before each flow run to fetch the code.</summary>
    public IReadOnlyList<StepDefinition> Pull { get; init; } = [];

    /// <summary>The deployments.</summary>
    public IReadOnlyList<DeploymentDefinition> Deployments { get; init; } = [];
}
