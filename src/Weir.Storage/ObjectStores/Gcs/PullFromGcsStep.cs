using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.Gcs;

/// <summary><c>pull_from_gcs</c>: brings a pushed project from a Google Cloud Storage bucket into the run, only what changed since this worker's last pull.</summary>
internal sealed class PullFromGcsStep : ObjectStorePullStep
{
    public override string Name => "pull_from_gcs";

    public override IReadOnlyCollection<string> Arguments { get; } = ["bucket", "folder", "manifest", "credentials", "endpoint_url"];

    protected override string ContainerArgument => "bucket";

    internal override IObjectStore CreateStore(StepArguments arguments, StepContext context) => new GcsObjectStore(GcsSettings.From(arguments, context, Name));
}
