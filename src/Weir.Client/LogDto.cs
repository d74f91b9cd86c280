namespace Weir.Client;

/// <summary>A log line of a run.</summary>
public sealed record LogDto(long Id, Guid FlowRunId, Guid? TaskRunId, DateTimeOffset Time, string Level, string Source, string Message)
{
    /// <summary>The key of the task run that wrote it (<c>Report-0</c>), when a task did; the server fills it in when it reads logs.</summary>
    public string? TaskKey { get; init; }

    /// <summary>Who wrote it, as the CLI and UI show it: <c>Task run 'Report-0'</c>, <c>Worker</c>, or <c>Flow run</c> for the flow's own code.</summary>
    public string Writer => TaskRunId is { } task ? $"Task run '{TaskKey ?? task.ToString()}'" : Source == WorkerSource ? "Worker" : "Flow run";

    /// <summary>The source of the lines a worker writes into a run's log (pull steps, structure drift).</summary>
    public const string WorkerSource = "Weir.Worker";

    /// <summary>The levels a log line may have on the wire, lowest first (Prefect's names).</summary>
    public static IReadOnlyList<string> Levels { get; } = ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

    /// <summary>The wire name of <paramref name="level"/> (<see cref="Microsoft.Extensions.Logging.LogLevel.None"/> and above: CRITICAL).</summary>
    public static string LevelOf(Microsoft.Extensions.Logging.LogLevel level) => Levels[Math.Clamp((int)level, 0, Levels.Count - 1)];
}
