namespace Weir.Storage.Tests.ObjectStores;

[Collection(S3rverCollection.Name)]
public sealed class S3StepTests(S3rverFixture s3) : ObjectStoreStepTests
{
    protected override string Suffix => "s3";

    protected override string ContainerArgument => "bucket";

    protected override string? EndpointUrl => s3.Endpoint;

    protected override string BlockType => "aws-credentials";

    protected override string WrongSecret => "wrong-secret-0123456789";

    protected override IReadOnlyDictionary<string, object?> Credentials => new Dictionary<string, object?>
    {
        ["_block_type"] = "aws-credentials", ["aws_access_key_id"] = Emulators.S3rverKey, ["aws_secret_access_key"] = Emulators.S3rverKey, ["region_name"] = "us-east-1",
    };

    protected override IReadOnlyDictionary<string, object?> WrongCredentials => new Dictionary<string, object?>
    {
        // s3rver checks the key id but not V4 signatures, so the key id is wrong too.
        ["_block_type"] = "aws-credentials", ["aws_access_key_id"] = "AKIAWRONGWRONGWRONG1", ["aws_secret_access_key"] = WrongSecret,
    };

    protected override Task<string> NewContainerAsync() => s3.CreateBucketAsync();
}
