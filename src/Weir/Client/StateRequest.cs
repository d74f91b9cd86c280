namespace Weir.Client;

/// <summary>Moves a run to a state. With <see cref="Expected"/> set, the server refuses (409) when the run is in another state.</summary>
public sealed record StateRequest(StateType Type, string? Message = null, StateType? Expected = null);
