namespace Weir.Server.Rules;

/// <summary>A caller that says which state it expects to replace is refused when the run has moved on (optimistic concurrency).</summary>
internal sealed class ExpectedStateRule : IStateRule
{
    public RuleResult Evaluate(Transition transition) =>
        transition.Expected is { } expected && expected != transition.From
            ? RuleResult.Reject($"Flow run {transition.RunId} is {transition.From}, not {expected} as the request expects; its state was not changed. Read the run again and retry.", "expected")
            : RuleResult.Continue;
}
