using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.S3;

/// <summary><c>push_to_s3</c>: uploads the project to an S3 (or S3-compatible) bucket, only what changed.</summary>
internal sealed class PushToS3Step : ObjectStorePushStep
{
    public override string Name => "push_to_s3";

    public override IReadOnlyCollection<string> Arguments { get; } = ["bucket", "folder", "manifest", "credentials", "endpoint_url"];

    protected override string ContainerArgument => "bucket";

    internal override IObjectStore CreateStore(StepArguments arguments, StepContext context) => new S3ObjectStore(S3Settings.From(arguments, context, Name));
}
