using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.Azure;

/// <summary>
/// <c>push_to_azure_blob_storage</c>: uploads the project to a container, only what changed. With
/// <c>create_container: true</c> a container that does not exist yet is created by the first push.
/// </summary>
internal sealed class PushToAzureBlobStorageStep : ObjectStorePushStep
{
    public override string Name => "push_to_azure_blob_storage";

    public override IReadOnlyCollection<string> Arguments { get; } = ["container", "folder", "manifest", "credentials", "create_container"];

    protected override string ContainerArgument => "container";

    internal override IObjectStore CreateStore(StepArguments arguments, StepContext context) =>
        new AzureObjectStore(AzureSettings.From(arguments, context, Name), arguments.GetBool("create_container", false) ? new ContainerCreation(context.DryRun, context.Print) : null);
}
