namespace Weir.Client;

/// <summary>The runs the server wants the worker to cancel.</summary>
public sealed record HeartbeatResponse(IReadOnlyList<Guid> Cancel);
