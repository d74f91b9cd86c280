using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.Gcs;

/// <summary><c>push_to_gcs</c>: uploads the project to a Google Cloud Storage bucket, only what changed.</summary>
internal sealed class PushToGcsStep : ObjectStorePushStep
{
    public override string Name => "push_to_gcs";

    public override IReadOnlyCollection<string> Arguments { get; } = ["bucket", "folder", "manifest", "credentials", "endpoint_url"];

    protected override string ContainerArgument => "bucket";

    internal override IObjectStore CreateStore(StepArguments arguments, StepContext context) => new GcsObjectStore(GcsSettings.From(arguments, context, Name));
}
