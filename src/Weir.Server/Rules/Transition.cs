namespace Weir.Server.Rules;

/// <summary>A proposed state change of a flow run, as the rules see it.</summary>
/// <param name="RunId">The flow run.</param>
/// <param name="From">Its current state.</param>
/// <param name="FromName">Its current state's name (<c>Late</c> for a late Scheduled run).</param>
/// <param name="To">The proposed state.</param>
/// <param name="Expected">The state the caller believes the run is in, when it said.</param>
/// <param name="Retry">True when the caller asks to leave a terminal state for a retry.</param>
internal sealed record Transition(Guid RunId, StateType From, string FromName, StateType To, StateType? Expected, bool Retry);
