namespace Weir.Server.Rules;

/// <summary>What a rule decided.</summary>
internal enum RuleVerdict
{
    /// <summary>This rule has no objection; the next rule decides.</summary>
    Continue,

    /// <summary>Allowed; later rules are not asked.</summary>
    Accept,

    /// <summary>Allowed but nothing to write: the run is already in that state (a repeated report).</summary>
    Skip,

    /// <summary>Refused (409).</summary>
    Reject,
}
