namespace Weir.Testing;

/// <summary>s3rver, the fake S3 server tests/infra/s3rver.sh runs on 127.0.0.1.</summary>
public static class S3rver
{
    /// <summary>The script that starts and stops it.</summary>
    public const string Script = "s3rver.sh";

    /// <summary>s3rver's fixed access key (its secret is the same).</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>s3rver's fixed secret key.</summary>
    public const string SecretKey = "S3RVER";

    /// <summary>Starts one in a temp folder of its own; its <see cref="InfraServer.Url"/> is the endpoint.</summary>
    public static Task<InfraServer> StartAsync() => InfraServer.StartOnFreePortAsync(Script);
}
