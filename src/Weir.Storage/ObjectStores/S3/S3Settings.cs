using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores.S3;

/// <summary>
/// Where and as whom to reach S3, from the step's arguments and an <c>aws-credentials</c> block
/// (Prefect's field names: <c>aws_access_key_id</c>, <c>aws_secret_access_key</c>,
/// <c>aws_session_token</c>, <c>region_name</c>, and <c>aws_client_parameters.endpoint_url</c>), or a
/// <c>minio-credentials</c> block (<c>minio_root_user</c>, <c>minio_root_password</c>).
/// </summary>
internal sealed record S3Settings(string Bucket, string? AccessKeyId, string? SecretAccessKey, string? SessionToken, string Region, string? EndpointUrl, string? Block)
{
    public static S3Settings From(StepArguments arguments, StepContext context, string stepName)
    {
        var bucket = arguments.GetRequiredString("bucket");
        var block = CredentialsBlock.From(arguments.GetMap("credentials"), stepName, "aws-credentials", "minio-credentials");
        var accessKey = block?.Text("aws_access_key_id") ?? block?.Text("minio_root_user");
        var secret = block?.Text("aws_secret_access_key") ?? block?.Text("minio_root_password");
        var token = block?.Text("aws_session_token");
        context.Redactor.Add(secret);
        context.Redactor.Add(token);
        if (block is not null && (accessKey is null) != (secret is null))
        {
            throw new ObjectStoreException($"{block.Description} for bucket '{bucket}' has only one of aws_access_key_id and aws_secret_access_key; give both, or neither to use the worker's AWS credentials.");
        }

        var endpoint = arguments.GetString("endpoint_url") is { Length: > 0 } e ? e
            : block?.Text("endpoint_url") ?? block?.NestedText("aws_client_parameters", "endpoint_url");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new ObjectStoreException($"the endpoint_url '{endpoint}' for bucket '{bucket}' is not an absolute URL such as http://127.0.0.1:9000.");
        }

        var region = block?.Text("region_name") ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
        return new S3Settings(bucket, accessKey, secret, token, region, endpoint, block?.Description);
    }
}
