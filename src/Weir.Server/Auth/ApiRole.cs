namespace Weir.Server.Auth;

/// <summary>What a caller may do, from the key it presents.</summary>
public enum ApiRole
{
    /// <summary>No key (only <c>/api/health</c>, <c>/api/version</c> and the OpenAPI document).</summary>
    Anonymous,

    /// <summary>A worker key: read everything, claim runs, heart-beat, write states, logs and provenance, reveal secrets.</summary>
    Worker,

    /// <summary>The admin key (or no key configured on a loopback-only server): everything.</summary>
    Admin,
}
