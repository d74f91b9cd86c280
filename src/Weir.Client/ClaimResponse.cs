namespace Weir.Client;

/// <summary>A claimed run and its deployment.</summary>
public sealed record ClaimResponse(FlowRunDto Run, DeploymentDto Deployment);
