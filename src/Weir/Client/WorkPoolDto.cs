namespace Weir.Client;

/// <summary>A work pool and its workers' last heart-beats.</summary>
public sealed record WorkPoolDto(string Name, string Type, int? ConcurrencyLimit, IReadOnlyList<WorkerDto> Workers);
