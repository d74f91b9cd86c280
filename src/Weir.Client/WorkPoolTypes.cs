namespace Weir.Client;

/// <summary>The kinds of work pool, by how much a run is isolated from others: the names the API, <c>weir.yaml</c> and the CLI use.</summary>
public static class WorkPoolTypes
{
    /// <summary>Each run inside the worker's own process, in a load context of its own: fastest, cooperative cancellation only.</summary>
    public const string InProcess = "in-process";

    /// <summary>Each run in a flow process of its own (or one reused for several runs): killed on cancellation, crashes isolated.</summary>
    public const string Process = "process";

    /// <summary>Each run in a container of its deployment's image.</summary>
    public const string Container = "container";

    /// <summary>Each run in a Kubernetes Job (batch/v1) made from the pool's job template and its deployment's job variables.</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>Every type, fastest first.</summary>
    public static IReadOnlyList<string> All { get; } = [InProcess, Process, Container, Kubernetes];

    /// <summary>True for a known type.</summary>
    public static bool IsKnown(string? type) => type is not null && All.Contains(type);
}
