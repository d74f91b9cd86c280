namespace Weir.Server.Rules;

/// <summary>An explicit retry is the one way out of a terminal state: Failed or Crashed to Scheduled or Pending.</summary>
internal sealed class RetryRule : IStateRule
{
    public RuleResult Evaluate(Transition transition)
    {
        if (!transition.Retry)
        {
            return RuleResult.Continue;
        }

        return transition.From is StateType.Failed or StateType.Crashed && transition.To is StateType.Scheduled or StateType.Pending
            ? RuleResult.Accept
            : RuleResult.Reject($"A retry moves a Failed or Crashed run to Scheduled or Pending; flow run {transition.RunId} is {transition.From} and the request asks for {transition.To}.", "retry");
    }
}
