namespace Weir.Server.Auth;

/// <summary>Who sent a request: its role and, for a worker key or a run token, which worker or run.</summary>
/// <param name="Role">What it may do at most.</param>
/// <param name="Worker">The worker key, when the role is <see cref="ApiRole.Worker"/>.</param>
/// <param name="Run">The run token's run, when the role is <see cref="ApiRole.Run"/>.</param>
internal sealed record Caller(ApiRole Role, WorkerKey? Worker = null, RunCredential? Run = null)
{
    public static Caller Anonymous { get; } = new(ApiRole.Anonymous);

    public static Caller Admin { get; } = new(ApiRole.Admin);

    /// <summary>The worker key's name as the store records it on the runs it claims, or null for the admin.</summary>
    public string? WorkerKeyName => Worker?.Name;
}
