using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>A task run.</summary>
public sealed record TaskRunDto
{
    /// <summary>Its id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The flow run.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The calling task run, if any.</summary>
    public Guid? ParentTaskRunId { get; init; }

    /// <summary>The task's name.</summary>
    public required string TaskName { get; init; }

    /// <summary><c>GetData-0</c>.</summary>
    public required string TaskKey { get; init; }

    /// <summary>Arguments, as text for people.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>The current state.</summary>
    public StateType State { get; init; } = StateType.Pending;

    /// <summary>The current state's message.</summary>
    public string? StateMessage { get; init; }

    /// <summary>When it entered the current state.</summary>
    public DateTimeOffset StateTime { get; init; }
}
