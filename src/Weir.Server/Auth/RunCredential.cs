namespace Weir.Server.Auth;

/// <summary>What a valid run token says: the flow run and the attempt it was issued for.</summary>
internal sealed record RunCredential(Guid RunId, int Attempt);
