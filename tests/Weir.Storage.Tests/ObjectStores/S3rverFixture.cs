using Amazon.Runtime;
using Amazon.S3;

namespace Weir.Storage.Tests.ObjectStores;

/// <summary>s3rver on 127.0.0.1, started once for the collection by tests/infra/s3rver.sh and stopped by PID.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    /// <summary>s3rver's fixed credentials.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Emulator _emulator = new("s3rver.sh");

    public string Endpoint => _emulator.Url;

    public Task InitializeAsync() => _emulator.StartAsync();

    public Task DisposeAsync() => _emulator.StopAsync();

    public async Task<string> CreateBucketAsync()
    {
        var name = "weir-" + Guid.NewGuid().ToString("N")[..12];
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(name);
        return name;
    }
}
