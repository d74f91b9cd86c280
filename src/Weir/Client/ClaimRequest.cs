namespace Weir.Client;

/// <summary>A worker asks for the next ready run of a pool, waiting up to <see cref="WaitSeconds"/>.</summary>
public sealed record ClaimRequest(string Worker, double WaitSeconds = 20);
