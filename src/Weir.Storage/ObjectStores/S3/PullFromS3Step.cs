using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.S3;

/// <summary><c>pull_from_s3</c>: brings a pushed project from an S3 (or S3-compatible) bucket into the run, only what changed since this worker's last pull.</summary>
internal sealed class PullFromS3Step : ObjectStorePullStep
{
    public override string Name => "pull_from_s3";

    public override IReadOnlyCollection<string> Arguments { get; } = ["bucket", "folder", "manifest", "credentials", "endpoint_url"];

    protected override string ContainerArgument => "bucket";

    internal override IObjectStore CreateStore(StepArguments arguments, StepContext context) => new S3ObjectStore(S3Settings.From(arguments, context, Name));
}
