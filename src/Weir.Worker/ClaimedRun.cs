using System.Text.Json.Nodes;

namespace Weir.Worker;

/// <summary>A flow run a worker claimed, with what it needs to run it.</summary>
public sealed record ClaimedRun
{
    /// <summary>The run request (code location, recorded structure, pinned commit).</summary>
    public required RunRequest Request { get; init; }

    /// <summary>The run's parameters, as JSON.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>Flow-level retries the deployment allows.</summary>
    public int Retries { get; init; }

    /// <summary>Seconds between flow-level retries.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>The deployment's settings for its pool's runs (a container pool reads <c>image</c>, <c>env</c>, ...).</summary>
    public JsonObject? JobVariables { get; init; }
}
