namespace Weir.Server.Ui;

/// <summary>What a deployment's page shows; after a refused run form, the error and the values entered.</summary>
public sealed record DeploymentModel(PageChrome Chrome, DeploymentDto Deployment, IReadOnlyList<FlowRunDto> Runs, string? Error = null, IReadOnlyDictionary<string, string>? Values = null);
