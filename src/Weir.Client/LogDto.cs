namespace Weir.Client;

/// <summary>A log line of a run.</summary>
public sealed record LogDto(long Id, Guid FlowRunId, Guid? TaskRunId, DateTimeOffset Time, string Level, string Source, string Message);
