using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Weir.Storage.ObjectStores.S3;

/// <summary>A bucket on S3 or an S3-compatible store (path-style addressing when an endpoint is given).</summary>
internal sealed class S3ObjectStore : IObjectStore
{
    private readonly S3Settings _settings;
    private readonly AmazonS3Client _client;
    private const long PartSize = 16 * 1024 * 1024;
    private readonly bool _chunked;

    public S3ObjectStore(S3Settings settings)
    {
        _settings = settings;
        var config = new AmazonS3Config
        {
            // Only what S3 requires: S3-compatible stores often reject the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.EndpointUrl is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        AWSCredentials? credentials = settings switch
        {
            { AccessKeyId: { } id, SecretAccessKey: { } secret, SessionToken: { } token } => new SessionAWSCredentials(id, secret, token),
            { AccessKeyId: { } id, SecretAccessKey: { } secret } => new BasicAWSCredentials(id, secret),
            _ => null,
        };
        _client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        // S3-compatible stores often cannot read aws-chunked bodies; S3 itself takes both.
        _chunked = settings.EndpointUrl is null;
    }

    public string Kind => "S3";

    public string CacheIdentity => $"s3\n{_settings.EndpointUrl}\n{_settings.Bucket}";

    public string Describe(string key) => $"s3://{_settings.Bucket}/{key}";

    public Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken) => CallAsync(prefix, async () =>
    {
        var found = new List<RemoteObject>();
        var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = prefix };
        while (true)
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            found.AddRange((response.S3Objects ?? []).Select(o => new RemoteObject(o.Key, o.Size ?? 0)));
            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                return (IReadOnlyList<RemoteObject>)found;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    });

    public Task UploadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        var size = new FileInfo(path).Length;
        if (size <= PartSize)
        {
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = _settings.Bucket, Key = key, FilePath = path, UseChunkEncoding = _chunked }, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Large files: a multipart upload, each part streamed from its place in the file.
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _settings.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        try
        {
            var count = (int)((size + PartSize - 1) / PartSize);
            var parts = new PartETag[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _settings.Bucket, Key = key, UploadId = upload.UploadId, PartNumber = i + 1,
                    FilePath = path, FilePosition = i * PartSize, PartSize = Math.Min(PartSize, size - (i * PartSize)), UseChunkEncoding = _chunked,
                }, ct).ConfigureAwait(false);
                parts[i] = new PartETag(i + 1, part.ETag);
            }).ConfigureAwait(false);
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _settings.Bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. parts] }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _settings.Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return true;
    });

    public Task UploadBytesAsync(string key, byte[] content, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        using var stream = new MemoryStream(content, writable: false);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _settings.Bucket, Key = key, InputStream = stream, ContentType = "application/json", UseChunkEncoding = _chunked }, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task<byte[]?> TryDownloadBytesAsync(string key, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        try
        {
            using var response = await _client.GetObjectAsync(_settings.Bucket, key, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
    });

    public Task DownloadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        using var response = await _client.GetObjectAsync(_settings.Bucket, key, cancellationToken).ConfigureAwait(false);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return true;
    });

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => CallAsync(keys.Count > 0 ? keys[0] : string.Empty, async () =>
    {
        foreach (var batch in keys.Chunk(1000))
        {
            var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = _settings.Bucket,
                Objects = [.. batch.Select(k => new KeyVersion { Key = k })],
            }, cancellationToken).ConfigureAwait(false);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new ObjectStoreException($"S3 did not delete {Describe(errors[0].Key)} ({errors[0].Code}: {errors[0].Message}) and {errors.Count - 1} more; check that the credentials may delete in bucket '{_settings.Bucket}'.");
            }
        }

        return true;
    });

    public void Dispose()
    {
        _client.Dispose();
    }

    private async Task<T> CallAsync<T>(string key, Func<Task<T>> action)
    {
        var what = $"the bucket '{_settings.Bucket}'";
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" or "ExpiredToken" or "InvalidToken" or "AllAccessDisabled"
            || ObjectStoreErrors.IsAccessStatus(ex.StatusCode))
        {
            throw ObjectStoreErrors.AccessRefused(Kind, what, _settings.Block, ex.ErrorCode ?? ex.StatusCode.ToString(), "aws_access_key_id, aws_secret_access_key (and aws_session_token)", ex);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
        {
            throw new ObjectStoreException($"the bucket '{_settings.Bucket}' does not exist{(_settings.EndpointUrl is { } e ? $" at {e}" : string.Empty)}: create it, or correct the 'bucket' argument.", ex);
        }
        catch (AmazonS3Exception ex)
        {
            throw new ObjectStoreException($"S3 failed on {Describe(key)} ({ex.ErrorCode ?? ex.StatusCode.ToString()}: {ex.Message}).", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or AmazonServiceException or AmazonClientException && ex is not AmazonS3Exception)
        {
            if (ex is AmazonClientException && ex.InnerException is not HttpRequestException && ex.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
            {
                throw new ObjectStoreException($"found no AWS credentials for {what}: pass an aws-credentials block as 'credentials', or give the worker AWS credentials (environment or profile).", ex);
            }

            throw ObjectStoreErrors.Unreachable(Kind, what, _settings.EndpointUrl ?? $"region {_settings.Region}", ex);
        }
    }
}
