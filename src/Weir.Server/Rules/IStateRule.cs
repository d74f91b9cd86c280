namespace Weir.Server.Rules;

/// <summary>One orchestration rule: looks at a proposed transition and accepts, skips, refuses, or lets the next rule decide.</summary>
internal interface IStateRule
{
    RuleResult Evaluate(Transition transition);
}
