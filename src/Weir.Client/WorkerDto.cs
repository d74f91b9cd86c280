namespace Weir.Client;

/// <summary>A worker of a pool.</summary>
public sealed record WorkerDto(string Name, DateTimeOffset LastHeartbeat);
