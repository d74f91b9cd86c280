using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Weir.Client;
using Weir.Storage.Templating;

namespace Weir.Worker.Tests;

/// <summary>
/// The server side of a worker, in memory, for testing the worker's own behaviour (claiming,
/// child processes, cancellation, crash detection). The HTTP server has its own tests.
/// </summary>
internal sealed class InMemoryWorkerServer(string weirHome) : IWorkerServer, IReferenceResolver
{
    private readonly Channel<ClaimedRun> _ready = Channel.CreateUnbounded<ClaimedRun>();

    public ConcurrentQueue<(Guid Run, StateType Type, string? Message)> States { get; } = new();

    public ConcurrentQueue<(Guid Run, string? Commit, string ContentHash, string? Drift)> Provenance { get; } = new();

    public ConcurrentQueue<(Guid Run, LogLevel Level, string Message)> Logs { get; } = new();

    public ConcurrentDictionary<Guid, bool> CancelRequests { get; } = new();

    public ConcurrentQueue<IReadOnlyCollection<Guid>> Heartbeats { get; } = new();

    public IReferenceResolver References => this;

    public IReadOnlyDictionary<string, string> ChildEnvironment => new Dictionary<string, string> { ["WEIR_HOME"] = weirHome };

    public void Enqueue(ClaimedRun run) => _ready.Writer.TryWrite(run);

    /// <summary>Runs the server re-schedules when the worker reports them Crashed (their retries): claimable again at once, as a real server with no retry delay does.</summary>
    public ConcurrentDictionary<Guid, ClaimedRun> RetryOnCrash { get; } = new();

    /// <summary>How many claims were asked for.</summary>
    public int Claims => Volatile.Read(ref _claims);

    /// <summary>The next this many claims fail as an unreachable server's do.</summary>
    public int UnreachableClaims { get; set; }

    private int _claims;

    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _claims);
        if (UnreachableClaims > 0)
        {
            UnreachableClaims--;
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            var claimed = new List<ClaimedRun> { await _ready.Reader.ReadAsync(timeout.Token) };
            while (claimed.Count < max && _ready.Reader.TryRead(out var more))
            {
                claimed.Add(more);
            }

            return claimed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    public Task<IReadOnlyCollection<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyCollection<Guid> running, CancellationToken cancellationToken)
    {
        Heartbeats.Enqueue(running);
        return Task.FromResult<IReadOnlyCollection<Guid>>([.. running.Where(CancelRequests.ContainsKey)]);
    }

    public Task SetStateAsync(Guid flowRunId, StateType type, string? message, CancellationToken cancellationToken)
    {
        States.Enqueue((flowRunId, type, message));
        if (type == StateType.Crashed && RetryOnCrash.TryRemove(flowRunId, out var again))
        {
            Enqueue(again);
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsRunOverAsync(Guid flowRunId, CancellationToken cancellationToken) =>
        Task.FromResult(States.Where(s => s.Run == flowRunId).Select(s => (StateType?)s.Type).LastOrDefault() is { } type && type.IsTerminal());

    public Task<EventBatchResult> ReportAsync(EventBatch report, CancellationToken cancellationToken)
    {
        foreach (var state in report.FlowRunStates)
        {
            States.Enqueue((state.RunId, state.Type, state.Message));
        }

        foreach (var provenance in report.Provenance)
        {
            Provenance.Enqueue((provenance.RunId, provenance.Commit, provenance.ContentHash ?? string.Empty, provenance.DriftWarning));
        }

        foreach (var log in report.Logs)
        {
            Logs.Enqueue((log.FlowRunId, log.Level == "WARNING" ? LogLevel.Warning : LogLevel.Information, log.Message));
        }

        return Task.FromResult(new EventBatchResult([]));
    }

    public ValueTask<BlockValue?> GetBlockAsync(string blockType, string blockName, CancellationToken cancellationToken) => ValueTask.FromResult<BlockValue?>(null);

    public ValueTask<(bool Found, object? Value)> GetVariableAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult((false, (object?)null));
}
