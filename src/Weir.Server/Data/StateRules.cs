namespace Weir.Server.Data;

/// <summary>
/// Which state a flow run may move to from which. Terminal states stay terminal; a retry after a
/// crash is the server's own move (to Scheduled), not a client's.
/// </summary>
internal static class StateRules
{
    private static readonly Dictionary<StateType, StateType[]> s_allowed = new()
    {
        [StateType.Scheduled] = [StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Cancelled, StateType.Cancelling, StateType.Crashed, StateType.Failed],
        [StateType.Pending] = [StateType.Pending, StateType.Running, StateType.Failed, StateType.Cancelled, StateType.Cancelling, StateType.Crashed, StateType.Scheduled],
        [StateType.Running] = [StateType.Running, StateType.Retrying, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelling, StateType.Cancelled],
        [StateType.Retrying] = [StateType.Running, StateType.Retrying, StateType.Failed, StateType.Crashed, StateType.Cancelling, StateType.Cancelled],
        [StateType.Cancelling] = [StateType.Cancelling, StateType.Cancelled, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Running, StateType.Retrying],
    };

    public static bool IsAllowed(StateType from, StateType to) => s_allowed.TryGetValue(from, out var targets) && targets.Contains(to);
}
