namespace Weir.Server.Auth;

/// <summary>Endpoint metadata: the least role that may call it. Endpoints without it need <see cref="ApiRole.Admin"/>.</summary>
internal sealed record RoleRequirement(ApiRole Role);
