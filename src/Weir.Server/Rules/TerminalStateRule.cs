namespace Weir.Server.Rules;

/// <summary>Completed, Failed, Crashed and Cancelled runs stay where they are (a retry is asked for explicitly, see <see cref="RetryRule"/>).</summary>
internal sealed class TerminalStateRule : IStateRule
{
    public RuleResult Evaluate(Transition transition) =>
        transition.From.IsTerminal()
            ? RuleResult.Reject($"Flow run {transition.RunId} already ended {transition.From} and cannot become {transition.To}; only a Failed or Crashed run can be retried (send retry: true).", "type")
            : RuleResult.Continue;
}
