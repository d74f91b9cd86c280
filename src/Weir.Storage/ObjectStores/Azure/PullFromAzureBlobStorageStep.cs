using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.Azure;

/// <summary><c>pull_from_azure_blob_storage</c>: brings a pushed project from a container into the run, only what changed since this worker's last pull.</summary>
internal sealed class PullFromAzureBlobStorageStep : ObjectStorePullStep
{
    public override string Name => "pull_from_azure_blob_storage";

    public override IReadOnlyCollection<string> Arguments { get; } = ["container", "folder", "manifest", "credentials"];

    protected override string ContainerArgument => "container";

    internal override IObjectStore CreateStore(StepArguments arguments, StepContext context) => new AzureObjectStore(AzureSettings.From(arguments, context, Name));
}
