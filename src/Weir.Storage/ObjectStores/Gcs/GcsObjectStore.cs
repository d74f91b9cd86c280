using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;

namespace Weir.Storage.ObjectStores.Gcs;

/// <summary>
/// A GCS bucket through the JSON API, written by hand on HttpClient (the Google storage client library
/// is not available here): list, media upload (resumable for large files, streamed), media download,
/// delete. Service-account keys sign their own JWT access tokens (Google.Apis.Auth, "JWT access with
/// scopes"), so no token endpoint is called; with an emulator endpoint and no key, requests are anonymous.
/// </summary>
internal sealed class GcsObjectStore : IObjectStore
{
    private const string Scope = "https://www.googleapis.com/auth/devstorage.read_write";
    private const long ResumableThreshold = 8 * 1024 * 1024;
    private readonly GcsSettings _settings;
    private readonly HttpClient _http;
    private readonly ITokenAccess? _credential;

    public GcsObjectStore(GcsSettings settings)
    {
        _settings = settings;
        _credential = CreateCredential(settings);
        _http = new HttpClient { BaseAddress = settings.Endpoint, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Kind => "GCS";

    public string CacheIdentity => $"gcs\n{_settings.Endpoint}\n{_settings.Bucket}";

    public string Describe(string key) => $"gs://{_settings.Bucket}/{key}";

    public Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken) => CallAsync(prefix, async () =>
    {
        var found = new List<RemoteObject>();
        string? page = null;
        do
        {
            var url = $"storage/v1/b/{Escape(_settings.Bucket)}/o?prefix={Escape(prefix)}&fields=items(name,size),nextPageToken" + (page is null ? string.Empty : "&pageToken=" + Escape(page));
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), prefix, cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("items", out var items))
            {
                found.AddRange(items.EnumerateArray().Select(i => new RemoteObject(i.GetProperty("name").GetString()!, long.Parse(i.GetProperty("size").GetString() ?? "0", System.Globalization.CultureInfo.InvariantCulture))));
            }

            page = document.RootElement.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(page));
        return (IReadOnlyList<RemoteObject>)found;
    });

    public Task UploadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        var size = new FileInfo(path).Length;
        var url = $"upload/storage/v1/b/{Escape(_settings.Bucket)}/o?name={Escape(key)}";
        if (size < ResumableThreshold)
        {
            using var _ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url + "&uploadType=media") { Content = FileContent(path) }, key, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Large files: a resumable session, then the file streamed in one PUT.
        Uri session;
        using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url + "&uploadType=resumable") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") }, key, cancellationToken).ConfigureAwait(false))
        {
            session = start.Headers.Location ?? throw new ObjectStoreException($"GCS did not start an upload session for {Describe(key)} (no Location header).");
        }

        using var __ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, session) { Content = FileContent(path) }, key, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task UploadBytesAsync(string key, byte[] content, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        var url = $"upload/storage/v1/b/{Escape(_settings.Bucket)}/o?uploadType=media&name={Escape(key)}";
        using var _ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } }, key, cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task<byte[]?> TryDownloadBytesAsync(string key, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, ObjectUrl(key) + "?alt=media"), key, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    });

    public Task DownloadFileAsync(string key, string path, CancellationToken cancellationToken) => CallAsync(key, async () =>
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, ObjectUrl(key) + "?alt=media"), key, cancellationToken).ConfigureAwait(false);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return true;
    });

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => CallAsync(keys.Count > 0 ? keys[0] : string.Empty, async () =>
    {
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            using var _ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, ObjectUrl(key)), key, ct, allowNotFound: true).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return true;
    });

    public void Dispose() => _http.Dispose();

    /// <summary>The endpoint as messages name it: scheme, host and port.</summary>
    private string Endpoint => _settings.Endpoint.GetLeftPart(UriPartial.Authority);

    private string ObjectUrl(string key) => $"storage/v1/b/{Escape(_settings.Bucket)}/o/{Escape(key)}";

    private static string Escape(string text) => Uri.EscapeDataString(text);

    private static StreamContent FileContent(string path)
    {
        var content = new StreamContent(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan), 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>Sends with the access token; the response is already checked (only a 404 may pass when <paramref name="allowNotFound"/>).</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string key, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        using var request = create();
        if (_credential is not null)
        {
            var token = await _credential.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ObjectStoreErrors.AccessRefused(Kind, $"the bucket '{_settings.Bucket}'", _settings.Block, $"HTTP {code}", "its service_account_info", new HttpRequestException(body, null, response.StatusCode)),
                // Named with the endpoint, as Azure's messages are: an emulator and Google differ in what they hold.
                HttpStatusCode.NotFound when body.Contains("bucket", StringComparison.OrdinalIgnoreCase) => new ObjectStoreException($"the bucket '{_settings.Bucket}' does not exist at {Endpoint}: create it (gcloud storage buckets create gs://{_settings.Bucket}), or correct the 'bucket' argument."),
                _ => new ObjectStoreException($"GCS at {Endpoint} answered HTTP {code} for {Describe(key)}: {(body.Length > 300 ? body[..300] : body)}"),
            };
        }
    }

    private async Task<T> CallAsync<T>(string key, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw ObjectStoreErrors.Unreachable(Kind, $"the bucket '{_settings.Bucket}'", Endpoint, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Security.Cryptography.CryptographicException && _credential is not null)
        {
            throw new ObjectStoreException($"{_settings.Block} could not sign a request for bucket '{_settings.Bucket}' ({ex.GetType().Name}): check its service_account_info (key {Describe(key)}).", null);
        }
    }

    private static ITokenAccess? CreateCredential(GcsSettings settings)
    {
        if (settings.ServiceAccountJson is null && settings.ServiceAccountFile is null)
        {
            return settings.IsEmulator ? null : ApplicationDefault(settings);
        }

        try
        {
            var account = settings.ServiceAccountJson is { } json
                ? CredentialFactory.FromJson<ServiceAccountCredential>(json)
                : CredentialFactory.FromFile<ServiceAccountCredential>(settings.ServiceAccountFile!);
            // Self-signed JWTs: no call to Google's token endpoint, which also keeps emulators offline.
            return account.WithUseJwtAccessWithScopes(true).ToGoogleCredential().CreateScoped(Scope);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The key is the secret: name the block and the kind of failure, never the content.
            throw new ObjectStoreException($"{settings.Block} for bucket '{settings.Bucket}' does not hold a usable service-account key ({ex.GetType().Name}): give service_account_info as the JSON key Google issues for a service account (type \"service_account\", with client_email and private_key).", null);
        }
    }

    private static GoogleCredential ApplicationDefault(GcsSettings settings)
    {
        try
        {
            return GoogleCredential.GetApplicationDefault().CreateScoped(Scope);
        }
        catch (InvalidOperationException ex)
        {
            throw new ObjectStoreException($"found no Google credentials for bucket '{settings.Bucket}': pass a gcp-credentials block with service_account_info as 'credentials', or give the worker Application Default Credentials.", ex);
        }
    }
}
