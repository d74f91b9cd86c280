namespace Weir.Server.Rules;

/// <summary>Reporting the state a run is already in (Pending, Running, Cancelling) changes nothing and is not an error: engines and workers may both report it.</summary>
internal sealed class RepeatedStateRule : IStateRule
{
    public RuleResult Evaluate(Transition transition) =>
        transition.From == transition.To && transition.To is StateType.Pending or StateType.Running or StateType.Cancelling
            ? RuleResult.Skip
            : RuleResult.Continue;
}
