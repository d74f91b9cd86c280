namespace Weir.Client;

/// <summary>What happened to a deployment on <c>weir deploy</c>.</summary>
/// <param name="Deployment">The deployment now.</param>
/// <param name="Created">True when it is new.</param>
/// <param name="VersionChanged">True when its version was bumped.</param>
public sealed record DeploymentResult(DeploymentDto Deployment, bool Created, bool VersionChanged);
