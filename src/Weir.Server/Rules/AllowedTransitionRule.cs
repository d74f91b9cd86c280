namespace Weir.Server.Rules;

/// <summary>The moves a live run may make. Anything else is refused with the moves that are allowed.</summary>
internal sealed class AllowedTransitionRule : IStateRule
{
    private static readonly Dictionary<StateType, StateType[]> s_allowed = new()
    {
        [StateType.Scheduled] = [StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Cancelling, StateType.Cancelled, StateType.Failed, StateType.Crashed],
        [StateType.Pending] = [StateType.Scheduled, StateType.Running, StateType.Failed, StateType.Crashed, StateType.Cancelling, StateType.Cancelled],
        // Scheduled from Running: a flow-level retry waiting out its delay.
        [StateType.Running] = [StateType.Scheduled, StateType.Retrying, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelling, StateType.Cancelled],
        [StateType.Retrying] = [StateType.Running, StateType.Retrying, StateType.Completed, StateType.Failed, StateType.Crashed, StateType.Cancelling, StateType.Cancelled],
        // A run asked to stop may still finish on its own before the worker stops it, but it does not start again.
        [StateType.Cancelling] = [StateType.Cancelled, StateType.Completed, StateType.Failed, StateType.Crashed],
    };

    public RuleResult Evaluate(Transition transition)
    {
        if (s_allowed.TryGetValue(transition.From, out var targets) && targets.Contains(transition.To))
        {
            return RuleResult.Accept;
        }

        var allowed = s_allowed.TryGetValue(transition.From, out var list) ? string.Join(", ", list) : "none";
        return RuleResult.Reject($"Flow run {transition.RunId} is {transition.From}, which cannot become {transition.To}; from {transition.From} it may become: {allowed}.", "type");
    }
}
