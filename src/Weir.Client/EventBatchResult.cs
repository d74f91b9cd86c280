namespace Weir.Client;

/// <summary>What the server did with an <see cref="EventBatch"/>: flow-run states the rules refused are listed (the rest applied).</summary>
/// <param name="Refused">One sentence per refused state change.</param>
public sealed record EventBatchResult(IReadOnlyList<string> Refused);
