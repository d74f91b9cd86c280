using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Weir.Client;

/// <summary>The Weir server's HTTP API, for the CLI and workers.</summary>
public sealed class WeirClient : IDisposable
{
    /// <summary>
    /// The header this client sends on every call. The server takes an API write only with a JSON body or this header
    /// (any value): web pages on other sites cannot send either, so a page a user visits cannot write through the API.
    /// </summary>
    public const string ClientHeader = "X-Weir-Client";

    private readonly HttpClient _http;
    private readonly WeirClientOptions _options;

    /// <summary>Creates a client for <paramref name="baseUrl"/> with <paramref name="apiKey"/> and the other options' defaults.</summary>
    public WeirClient(Uri baseUrl, string? apiKey = null)
        : this(new WeirClientOptions { BaseUrl = baseUrl, ApiKey = apiKey })
    {
    }

    /// <summary>Creates a client.</summary>
    public WeirClient(WeirClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Agent);
        _options = options;
        _http = new HttpClient(options.Handler ?? new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }, disposeHandler: options.Handler is null)
        {
            BaseAddress = options.BaseUrl,
            Timeout = options.Timeout,
        };
        _http.DefaultRequestHeaders.Add(ClientHeader, options.Agent);
        if (options.ApiKey is { Length: > 0 } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(options.Agent, typeof(WeirClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>The server's address.</summary>
    public Uri BaseUrl => _options.BaseUrl;

    /// <summary>The credential in use, if any.</summary>
    public string? ApiKey => _options.ApiKey;

    /// <summary>Who is calling (<see cref="WeirClientOptions.Agent"/>).</summary>
    public string Agent => _options.Agent;

    /// <summary>A client for the server <see cref="WeirClientOptions.FromEnvironment"/> finds (environment variables, then the selected profile, then the default).</summary>
    /// <exception cref="WeirException"><c>WEIR_API_URL</c> is not a URL, or the selected profile is missing or unreadable.</exception>
    public static WeirClient FromEnvironment(string agent = "weir", TimeSpan retryUnavailable = default)
    {
        var found = WeirClientOptions.FromEnvironment(agent);
        return new(new WeirClientOptions { BaseUrl = found.BaseUrl, ApiKey = found.ApiKey, Agent = agent, RetryUnavailable = retryUnavailable });
    }

    /// <summary>Creates or updates a deployment.</summary>
    public Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken cancellationToken) =>
        SendAsync<DeploymentResult>(HttpMethod.Put, "api/deployments", request, cancellationToken)!;

    /// <summary>A deployment, or null.</summary>
    public Task<DeploymentDto?> GetDeploymentAsync(string flow, string name, CancellationToken cancellationToken) =>
        GetOrNullAsync<DeploymentDto>($"api/deployments/{Uri.EscapeDataString(flow)}/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>All deployments.</summary>
    public async Task<IReadOnlyList<DeploymentDto>> ListDeploymentsAsync(CancellationToken cancellationToken) =>
        (await SendAsync<List<DeploymentDto>>(HttpMethod.Get, "api/deployments", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Creates a run of a deployment; <paramref name="parameters"/> override its defaults.</summary>
    public Task<FlowRunDto> CreateRunAsync(string flow, string name, JsonObject? parameters, CancellationToken cancellationToken) =>
        SendAsync<FlowRunDto>(HttpMethod.Post, $"api/deployments/{Uri.EscapeDataString(flow)}/{Uri.EscapeDataString(name)}/runs", new RunRequest(parameters), cancellationToken)!;

    /// <summary>A flow run, or null.</summary>
    public Task<FlowRunDto?> GetRunAsync(Guid id, CancellationToken cancellationToken) => GetOrNullAsync<FlowRunDto>($"api/flow-runs/{id}", cancellationToken);

    /// <summary>Recent flow runs, newest first.</summary>
    public async Task<IReadOnlyList<FlowRunDto>> ListRunsAsync(int limit, CancellationToken cancellationToken) =>
        (await SendAsync<List<FlowRunDto>>(HttpMethod.Get, $"api/flow-runs?limit={limit}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// The runs whose id, or short id (<see cref="FlowRunDto.ShortId"/>), starts with <paramref name="idPrefix"/>
    /// (hexadecimal digits; hyphens are ignored), newest first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<FlowRunDto>> FindRunsAsync(string idPrefix, int limit, CancellationToken cancellationToken) =>
        (await SendAsync<List<FlowRunDto>>(HttpMethod.Get, $"api/flow-runs?limit={limit}&id={Uri.EscapeDataString(idPrefix)}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>A run's state history.</summary>
    public async Task<IReadOnlyList<RunStateEvent>> RunHistoryAsync(Guid id, CancellationToken cancellationToken) =>
        (await SendAsync<List<RunStateEvent>>(HttpMethod.Get, $"api/flow-runs/{id}/states", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Moves a run to a state (409 when the rules refuse).</summary>
    public Task<FlowRunDto> SetStateAsync(Guid id, StateRequest request, CancellationToken cancellationToken) =>
        SendAsync<FlowRunDto>(HttpMethod.Post, $"api/flow-runs/{id}/state", request, cancellationToken)!;

    /// <summary>Asks for a run to be cancelled.</summary>
    public Task<FlowRunDto> CancelAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<FlowRunDto>(HttpMethod.Post, $"api/flow-runs/{id}/cancel", null, cancellationToken)!;

    /// <summary>A run's task runs.</summary>
    public async Task<IReadOnlyList<TaskRunDto>> TaskRunsAsync(Guid id, CancellationToken cancellationToken) =>
        (await SendAsync<List<TaskRunDto>>(HttpMethod.Get, $"api/flow-runs/{id}/task-runs", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>A run's log lines after id <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<LogDto>> LogsAsync(Guid id, long after, int limit, CancellationToken cancellationToken) =>
        (await SendAsync<List<LogDto>>(HttpMethod.Get, $"api/flow-runs/{id}/logs?after={after}&limit={limit}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Sends an engine's batch of task runs, states and logs in one call; the answer lists flow-run states the rules refused.</summary>
    public async Task<EventBatchResult> SendEventsAsync(EventBatch batch, CancellationToken cancellationToken) =>
        (await SendAsync<EventBatchResult>(HttpMethod.Post, "api/events", batch, cancellationToken).ConfigureAwait(false))!;

    /// <summary>A worker's heart-beat; returns the runs to cancel.</summary>
    public async Task<HeartbeatResponse> HeartbeatAsync(string pool, HeartbeatRequest request, CancellationToken cancellationToken) =>
        (await SendAsync<HeartbeatResponse>(HttpMethod.Post, $"api/work-pools/{Uri.EscapeDataString(pool)}/heartbeat", request, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// Heart-beats one run (what a flow process whose worker died sends, with the run's token): the server then does not
    /// take the run for crashed while its worker is silent. True when the server wants the run cancelled.
    /// </summary>
    public async Task<bool> HeartbeatRunAsync(Guid id, CancellationToken cancellationToken) =>
        (await SendAsync<HeartbeatResponse>(HttpMethod.Post, $"api/flow-runs/{id}/heartbeat", null, cancellationToken).ConfigureAwait(false))!.Cancel.Contains(id);

    /// <summary>Work pools and their workers.</summary>
    public async Task<IReadOnlyList<WorkPoolDto>> ListPoolsAsync(CancellationToken cancellationToken) =>
        (await SendAsync<List<WorkPoolDto>>(HttpMethod.Get, "api/work-pools", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Creates or updates a work pool.</summary>
    public Task<WorkPoolDto> PutPoolAsync(string name, string type, int? concurrencyLimit, CancellationToken cancellationToken) =>
        SendAsync<WorkPoolDto>(HttpMethod.Put, $"api/work-pools/{Uri.EscapeDataString(name)}", new WorkPoolRequest(type, concurrencyLimit), cancellationToken)!;

    /// <summary>Creates or updates a work pool as <paramref name="request"/> says (null fields of an existing pool stay as they are, but for the limit).</summary>
    public Task<WorkPoolDto> PutPoolAsync(string name, WorkPoolRequest request, CancellationToken cancellationToken) =>
        SendAsync<WorkPoolDto>(HttpMethod.Put, $"api/work-pools/{Uri.EscapeDataString(name)}", request, cancellationToken)!;

    /// <summary>Block types.</summary>
    public async Task<IReadOnlyList<BlockTypeDto>> BlockTypesAsync(CancellationToken cancellationToken) =>
        (await SendAsync<List<BlockTypeDto>>(HttpMethod.Get, "api/block-types", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Creates or replaces a block.</summary>
    public Task<BlockDto> PutBlockAsync(string type, string name, JsonObject fields, CancellationToken cancellationToken) =>
        SendAsync<BlockDto>(HttpMethod.Put, $"api/blocks/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(name)}", new BlockRequest(fields), cancellationToken)!;

    /// <summary>A block; secret fields masked unless <paramref name="reveal"/> (which needs a key allowed to see them).</summary>
    public Task<BlockDto?> GetBlockAsync(string type, string name, bool reveal, CancellationToken cancellationToken) =>
        GetOrNullAsync<BlockDto>($"api/blocks/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(name)}{(reveal ? "?reveal=true" : string.Empty)}", cancellationToken);

    /// <summary>All blocks, secrets masked.</summary>
    public async Task<IReadOnlyList<BlockDto>> ListBlocksAsync(CancellationToken cancellationToken) =>
        (await SendAsync<List<BlockDto>>(HttpMethod.Get, "api/blocks", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Deletes a block; false when there was none.</summary>
    public async Task<bool> DeleteBlockAsync(string type, string name, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<object>(HttpMethod.Delete, $"api/blocks/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(name)}", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WeirApiException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Sets a variable.</summary>
    public Task<VariableDto> PutVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync<VariableDto>(HttpMethod.Put, $"api/variables/{Uri.EscapeDataString(name)}", new VariableRequest(value), cancellationToken)!;

    /// <summary>All variables.</summary>
    public async Task<IReadOnlyList<VariableDto>> ListVariablesAsync(CancellationToken cancellationToken) =>
        (await SendAsync<List<VariableDto>>(HttpMethod.Get, "api/variables", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Flows the server knows.</summary>
    public async Task<IReadOnlyList<FlowDto>> ListFlowsAsync(CancellationToken cancellationToken) =>
        (await SendAsync<List<FlowDto>>(HttpMethod.Get, "api/flows", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Deletes a deployment and its runs that have not started; false when there was none.</summary>
    public Task<bool> DeleteDeploymentAsync(string flow, string name, CancellationToken cancellationToken) =>
        DeleteAsync($"api/deployments/{Uri.EscapeDataString(flow)}/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Flow runs, newest first, filtered by deployment (<c>flow/deployment</c>), flow, state and work pool.</summary>
    public async Task<IReadOnlyList<FlowRunDto>> ListRunsAsync(int limit, string? deployment, string? flow, StateType? state, string? workPool, CancellationToken cancellationToken)
    {
        var query = $"api/flow-runs?limit={limit}"
            + (deployment is null ? string.Empty : "&deployment=" + Uri.EscapeDataString(deployment))
            + (flow is null ? string.Empty : "&flow=" + Uri.EscapeDataString(flow))
            + (state is null ? string.Empty : "&state=" + state)
            + (workPool is null ? string.Empty : "&workPool=" + Uri.EscapeDataString(workPool));
        return (await SendAsync<List<FlowRunDto>>(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A task run's state history.</summary>
    public async Task<IReadOnlyList<RunStateEvent>> TaskRunHistoryAsync(Guid taskRunId, CancellationToken cancellationToken) =>
        (await SendAsync<List<RunStateEvent>>(HttpMethod.Get, $"api/task-runs/{taskRunId}/states", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Claims up to <see cref="ClaimRequest.Max"/> ready runs of a pool at once, waiting as the request says; empty when none came.</summary>
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, ClaimRequest request, CancellationToken cancellationToken) =>
        (await SendAsync<List<ClaimedRun>>(HttpMethod.Post, $"api/work-pools/{Uri.EscapeDataString(pool)}/claims", request, cancellationToken).ConfigureAwait(false))!;

    /// <summary>A work pool, or null.</summary>
    public Task<WorkPoolDto?> GetPoolAsync(string name, CancellationToken cancellationToken) =>
        GetOrNullAsync<WorkPoolDto>($"api/work-pools/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Creates or updates a work pool, paused or not.</summary>
    public Task<WorkPoolDto> PutPoolAsync(string name, string type, int? concurrencyLimit, bool paused, CancellationToken cancellationToken) =>
        SendAsync<WorkPoolDto>(HttpMethod.Put, $"api/work-pools/{Uri.EscapeDataString(name)}", new WorkPoolRequest(type, concurrencyLimit, paused), cancellationToken)!;

    /// <summary>A variable, or null.</summary>
    public Task<VariableDto?> GetVariableAsync(string name, CancellationToken cancellationToken) =>
        GetOrNullAsync<VariableDto>($"api/variables/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Deletes a variable; false when there was none.</summary>
    public Task<bool> DeleteVariableAsync(string name, CancellationToken cancellationToken) =>
        DeleteAsync($"api/variables/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Blocks of one type, secrets masked.</summary>
    public async Task<IReadOnlyList<BlockDto>> ListBlocksAsync(string type, CancellationToken cancellationToken) =>
        (await SendAsync<List<BlockDto>>(HttpMethod.Get, $"api/blocks?type={Uri.EscapeDataString(type)}", null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>The server's health: true when it answers.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("api/health", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Stores a compiled flow's archive under its id (<c>StoredAsScript = false</c>); storing the same id again changes nothing.</summary>
    public async Task UploadBuildAsync(string id, byte[] archive, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/builds/{Uri.EscapeDataString(id)}") { Content = new ByteArrayContent(archive) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowUnlessSuccessAsync(response, request.Method, request.RequestUri!.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stored build's archive, or null when the server has none with that id.</summary>
    public async Task<byte[]?> DownloadBuildAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/builds/{Uri.EscapeDataString(id)}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await ThrowUnlessSuccessAsync(response, HttpMethod.Get, $"api/builds/{id}", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<object>(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WeirApiException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<T>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (WeirApiException ex) when (ex.Status == 404)
        {
            return default;
        }
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetryAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default;
        }

        await ThrowUnlessSuccessAsync(response, method, path, cancellationToken).ConfigureAwait(false);
        return typeof(T) == typeof(object) ? default : await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ThrowUnlessSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            ProblemDto? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ProblemDto>(ApiJson.Options, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
            }

            throw new WeirApiException((int)response.StatusCode, problem?.Message ?? $"The server answered {(int)response.StatusCode} {response.ReasonPhrase} to {method} /{path}.", problem?.Field);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetryAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var deadline = time.GetUtcNow() + _options.RetryUnavailable;
        while (true)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
            }

            TimeSpan wait;
            try
            {
                var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || time.GetUtcNow() >= deadline)
                {
                    return response;
                }

                wait = response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero ? delta : TimeSpan.FromSeconds(1);
                response.Dispose();
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError
                && ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }
                && time.GetUtcNow() < deadline)
            {
                wait = TimeSpan.FromMilliseconds(500);
            }

            var left = deadline - time.GetUtcNow();
            await Task.Delay(wait < left ? wait : (left > TimeSpan.Zero ? left : TimeSpan.Zero), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
