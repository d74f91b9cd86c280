using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Weir.Storage.ObjectStores.Azure;

/// <summary>A container in Azure Blob Storage (or azurite).</summary>
internal sealed class AzureObjectStore : IObjectStore
{
    private const int Parallelism = 8;
    private readonly AzureSettings _settings;
    private readonly BlobContainerClient _container;
    private readonly string _endpoint;

    private readonly ContainerCreation? _creation;
    private bool _created;

    /// <param name="settings">Where and as whom.</param>
    /// <param name="creation">For a push with <c>create_container: true</c>: create a missing container (and say so), unless it is a dry run.</param>
    public AzureObjectStore(AzureSettings settings, ContainerCreation? creation = null)
    {
        _settings = settings;
        _creation = creation;
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 2;
        try
        {
            _container = settings.ConnectionString is { } connectionString
                ? new BlobContainerClient(connectionString, settings.Container, options)
                : settings.AccountKey is { } key
                    ? new BlobContainerClient(ContainerUri(settings), new StorageSharedKeyCredential(settings.AccountName, key), options)
                    : new BlobContainerClient(ContainerUri(settings), options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // The connection string or key is the secret: say what is wrong without repeating it.
            throw new ObjectStoreException($"{settings.Block} for container '{settings.Container}' does not hold a valid connection string or account key ({ex.GetType().Name}); copy them again from the storage account's access keys.", null);
        }

        _endpoint = _container.Uri.GetLeftPart(UriPartial.Authority);
    }

    public string Kind => "Azure Blob Storage";

    public string CacheIdentity => $"azure\n{_container.Uri}";

    public string Describe(string key) => $"{_container.Uri}/{key}";

    public Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken) => CallAsync(prefix, async () =>
    {
        var found = new List<RemoteObject>();
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            found.Add(new RemoteObject(blob.Name, blob.Properties.ContentLength ?? 0));
        }

        return (IReadOnlyList<RemoteObject>)found;
    });

    public Task UploadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        // Above 8 MB the SDK stages blocks in parallel and commits them: a streamed, multipart upload.
        var transfer = new StorageTransferOptions { InitialTransferSize = 8 * 1024 * 1024, MaximumTransferSize = 8 * 1024 * 1024, MaximumConcurrency = 4 };
        await _container.GetBlobClient(key).UploadAsync(path, new BlobUploadOptions { TransferOptions = transfer }, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task UploadBytesAsync(string key, byte[] content, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        await _container.GetBlobClient(key).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task<byte[]?> TryDownloadBytesAsync(string key, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        try
        {
            var response = await _container.GetBlobClient(key).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    });

    public Task DownloadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        await _container.GetBlobClient(key).DownloadToAsync(path, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => CallAsync(keys.Count > 0 ? keys[0] : string.Empty, async () =>
    {
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (key, ct) =>
            await _container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
        return true;
    });

    public void Dispose()
    {
        // The Azure clients hold no resources of their own.
    }

    private static Uri ContainerUri(AzureSettings settings) => new($"{settings.AccountUrl!.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(settings.Container)}");

    private async Task<T> CallAsync<T>(string key, Func<Task<T>> action)
    {
        var what = $"the container '{_settings.Container}'";
        try
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound && _creation is { DryRun: false } && !_created)
            {
                // Asked for (create_container: true): the first push makes the container, then goes on.
                await _container.CreateIfNotExistsAsync().ConfigureAwait(false);
                _created = true;
                _creation!.Print($"Created the container '{_settings.Container}' at {_endpoint} (create_container: true).");
                return await action().ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            throw ObjectStoreErrors.AccessRefused(Kind, what, _settings.Block, ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), "its connection_string, or account_url and account_key", ex);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw new ObjectStoreException(_creation is { DryRun: true }
                ? $"{what} does not exist at {_endpoint}; the push would create it (create_container: true), but a dry run changes nothing."
                : $"{what} does not exist at {_endpoint}: create it (az storage container create --name {_settings.Container}), "
                    + "or add create_container: true to the push_to_azure_blob_storage step to have the first push create it, or correct the 'container' argument.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            throw ObjectStoreErrors.Unreachable(Kind, what, _endpoint, ex.InnerException ?? ex);
        }
        catch (RequestFailedException ex)
        {
            throw new ObjectStoreException($"{Kind} failed on {Describe(key)} ({ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}).", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or AggregateException)
        {
            throw ObjectStoreErrors.Unreachable(Kind, what, _endpoint, ex);
        }
    }
}
