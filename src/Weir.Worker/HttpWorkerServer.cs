using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Compiler;
using Weir.Storage.Templating;

namespace Weir.Worker;

/// <summary>The Weir server over HTTP, as the worker needs it.</summary>
public sealed class HttpWorkerServer(WeirClient client, string weirHome) : IWorkerServer, IReferenceResolver
{
    /// <inheritdoc />
    public IReferenceResolver References => this;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> ChildEnvironment =>
        new Dictionary<string, string> { ["WEIR_API_URL"] = client.BaseUrl.ToString().TrimEnd('/'), ["WEIR_HOME"] = weirHome };

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, CancellationToken cancellationToken) =>
        client.ClaimAsync(pool, new ClaimRequest(worker, wait.TotalSeconds, max), cancellationToken);

    /// <inheritdoc />
    public Task<byte[]?> DownloadBuildAsync(string buildId, CancellationToken cancellationToken) => client.DownloadBuildAsync(buildId, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyCollection<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyCollection<Guid> running, CancellationToken cancellationToken) =>
        (await client.HeartbeatAsync(pool, new HeartbeatRequest(worker, [.. running]), cancellationToken).ConfigureAwait(false)).Cancel;

    /// <inheritdoc />
    public async Task SetStateAsync(Guid flowRunId, StateType type, string? message, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetStateAsync(flowRunId, new StateRequest(type, message), cancellationToken).ConfigureAwait(false);
        }
        catch (WeirApiException ex) when (ex.Status is 409 or 403)
        {
            // 409: the run already ended (its process reported a final state first); the server's word stands.
            // 403: the run is no longer this worker's (re-scheduled after it was taken for crashed, claimed by another).
        }
    }

    /// <inheritdoc />
    public async Task<bool> IsRunOverAsync(Guid flowRunId, CancellationToken cancellationToken) =>
        await client.GetRunAsync(flowRunId, cancellationToken).ConfigureAwait(false) is not { } run || run.State.IsTerminal();

    /// <inheritdoc />
    public Task<FlowRunDto?> GetRunAsync(Guid flowRunId, CancellationToken cancellationToken) => client.GetRunAsync(flowRunId, cancellationToken);

    /// <inheritdoc />
    public Task<EventBatchResult> ReportAsync(EventBatch report, CancellationToken cancellationToken) =>
        client.SendEventsAsync(report, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<BlockValue?> GetBlockAsync(string blockType, string blockName, CancellationToken cancellationToken)
    {
        var block = await client.GetBlockAsync(blockType, blockName, reveal: true, cancellationToken).ConfigureAwait(false);
        return block is null ? null : new BlockValue(block.Type, block.Name,
            block.Fields.ToDictionary(f => f.Key, f => (object?)(f.Value is JsonValue v ? v.ToString() : f.Value?.ToJsonString())),
            block.SecretFields.ToHashSet());
    }

    /// <inheritdoc />
    public async ValueTask<(bool Found, object? Value)> GetVariableAsync(string name, CancellationToken cancellationToken)
    {
        var variable = (await client.ListVariablesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Name == name);
        return variable is null ? (false, null) : (true, variable.Value);
    }
}
