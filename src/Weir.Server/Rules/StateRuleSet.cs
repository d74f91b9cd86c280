namespace Weir.Server.Rules;

/// <summary>The orchestration rules in the order they are asked; the first that does not say Continue decides.</summary>
internal sealed class StateRuleSet(IReadOnlyList<IStateRule> rules)
{
    public static StateRuleSet Default { get; } = new([
        new ExpectedStateRule(),
        new RetryRule(),
        new TerminalStateRule(),
        new RepeatedStateRule(),
        new AllowedTransitionRule(),
    ]);

    public IReadOnlyList<IStateRule> Rules { get; } = rules;

    public RuleResult Evaluate(Transition transition)
    {
        foreach (var rule in Rules)
        {
            var result = rule.Evaluate(transition);
            if (result.Verdict != RuleVerdict.Continue)
            {
                return result;
            }
        }

        return RuleResult.Accept;
    }
}
