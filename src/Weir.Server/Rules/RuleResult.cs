namespace Weir.Server.Rules;

/// <summary>A rule's decision, with the sentence and request field for a refusal.</summary>
internal sealed record RuleResult(RuleVerdict Verdict, string? Message = null, string? Field = null)
{
    public static RuleResult Continue { get; } = new(RuleVerdict.Continue);

    public static RuleResult Accept { get; } = new(RuleVerdict.Accept);

    public static RuleResult Skip { get; } = new(RuleVerdict.Skip);

    public static RuleResult Reject(string message, string field) => new(RuleVerdict.Reject, message, field);
}
