namespace Weir.Client;

/// <summary>Moves a run to a state. With <see cref="Expected"/> set, the server refuses (409) when the run is in another state.</summary>
/// <param name="Type">The new state.</param>
/// <param name="Message">Why, for people.</param>
/// <param name="Expected">The state the caller believes the run is in now.</param>
/// <param name="Retry">True to leave a Failed or Crashed run for Scheduled or Pending: the only way out of a terminal state.</param>
/// <param name="Name">A name for the state when it differs from its type.</param>
public sealed record StateRequest(StateType Type, string? Message = null, StateType? Expected = null, bool Retry = false, string? Name = null);
