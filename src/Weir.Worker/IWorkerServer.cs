using Weir.Client;
using Weir.Storage.Templating;

namespace Weir.Worker;

/// <summary>What a worker needs from the Weir server. The HTTP client implements it.</summary>
public interface IWorkerServer
{
    /// <summary>Claims up to <paramref name="max"/> ready runs of a pool in one call, waiting up to <paramref name="wait"/> for the first (long poll). Empty when none came.</summary>
    Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Tells the server the worker is alive and which runs it is executing; returns the runs the server wants cancelled.</summary>
    Task<IReadOnlyCollection<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyCollection<Guid> running, CancellationToken cancellationToken);

    /// <summary>Sets a run's state from the worker's side (Failed before start, Crashed, Cancelled).</summary>
    Task SetStateAsync(Guid flowRunId, StateType type, string? message, CancellationToken cancellationToken);

    /// <summary>Sends what the worker itself reports about runs in one call: preparation log lines and provenance (the code a run got).</summary>
    Task<EventBatchResult> ReportAsync(EventBatch report, CancellationToken cancellationToken);

    /// <summary>Downloads a stored build (a flow registered with <c>StoredAsScript = false</c>); null when the server has none with that id.</summary>
    Task<byte[]?> DownloadBuildAsync(string buildId, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);

    /// <summary>Whether a run has ended (a final state, or no longer known to the server), so nothing can still be using its run folder.</summary>
    Task<bool> IsRunOverAsync(Guid flowRunId, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>A run as the server has it (state, attempt), or null when the server does not know it.</summary>
    Task<FlowRunDto?> GetRunAsync(Guid flowRunId, CancellationToken cancellationToken) => Task.FromResult<FlowRunDto?>(null);

    /// <summary>Resolves block and variable references for pull steps, secrets revealed.</summary>
    IReferenceResolver References { get; }

    /// <summary>
    /// What a run's flow process, container and shell steps need to reach the server besides the run's token: its address
    /// (<c>WEIR_API_URL</c>) and <c>WEIR_HOME</c>. Never a key: each run reports with its own token (<see cref="ClaimedRun.RunToken"/>).
    /// </summary>
    IReadOnlyDictionary<string, string> ChildEnvironment { get; }
}
