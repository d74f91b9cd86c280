namespace Weir.Client;

/// <summary>A worker asks for the next ready run of a pool, waiting up to <see cref="WaitSeconds"/>.</summary>
/// <param name="Worker">The worker's name.</param>
/// <param name="WaitSeconds">How long to wait for a run when none is ready (long poll), at most 60.</param>
/// <param name="Max">How many runs to take at most (the <c>claims</c> route; <c>claim</c> takes one).</param>
public sealed record ClaimRequest(string Worker, double WaitSeconds = 20, int Max = 1);
