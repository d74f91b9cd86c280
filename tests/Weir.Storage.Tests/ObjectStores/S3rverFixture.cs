using Amazon.Runtime;
using Amazon.S3;

namespace Weir.Storage.Tests.ObjectStores;

/// <summary>s3rver on 127.0.0.1, started once for the collection by tests/infra/s3rver.sh and stopped by PID.</summary>
public sealed class S3rverFixture() : InfraServerFixture("s3rver.sh")
{
    public async Task<string> CreateBucketAsync()
    {
        var name = "weir-" + Guid.NewGuid().ToString("N")[..12];
        using var client = new AmazonS3Client(new BasicAWSCredentials(Emulators.S3rverKey, Emulators.S3rverKey), new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(name);
        return name;
    }
}
