namespace Weir.Server.Auth;

/// <summary>What a caller may do, from the credential it presents. Each role may do what the ones before it may.</summary>
public enum ApiRole
{
    /// <summary>No key (only <c>/api/health</c>, <c>/api/version</c> and the OpenAPI document).</summary>
    Anonymous,

    /// <summary>
    /// A run token (issued with each claim): report that run (states, task runs, logs, heart-beats), read it and its
    /// deployment, read the variables and the blocks its deployment declares. Refused once the run has ended.
    /// </summary>
    Run,

    /// <summary>
    /// A worker key: read runs, deployments and pools, claim runs from its pools, heart-beat, report the runs it claimed,
    /// and reveal the secrets of blocks those runs' deployments declare.
    /// </summary>
    Worker,

    /// <summary>The admin key (or no key configured on a loopback-only server): everything.</summary>
    Admin,
}
