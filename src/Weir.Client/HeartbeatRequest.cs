namespace Weir.Client;

/// <summary>A worker's heart-beat: its name and the runs it is executing.</summary>
public sealed record HeartbeatRequest(string Worker, IReadOnlyList<Guid> Running);
