using Weir.Client;

namespace Weir.Worker.Launchers;

/// <summary>
/// Starts the flow of one claimed run somewhere (a child process, a container) and waits for it to
/// end. The <see cref="Worker"/> owns everything around it that every pool type shares: claiming,
/// heart-beats, the cancellation token, and turning the way the flow ended into a state.
/// </summary>
public interface IFlowLauncher
{
    /// <summary>The work pool type it serves (<see cref="Client.WorkPoolTypes"/>).</summary>
    string PoolType { get; }

    /// <summary>True once the launcher cannot be trusted with more runs (too much abandoned code in the process): the worker drains and restarts.</summary>
    bool NeedsRestart => false;

    /// <summary>
    /// Runs the flow and returns how it ended. Cancelling <paramref name="cancellationToken"/> stops it
    /// and returns with <see cref="FlowExit.Killed"/>. Throws <see cref="RunPreparationException"/> when
    /// the run cannot start (the worker marks it Failed with the message).
    /// </summary>
    Task<FlowExit> LaunchAsync(ClaimedRun run, FlowOutput output, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the worker starts, before it claims: returns the runs an earlier life of this worker left going that the
    /// launcher takes up again (a Kubernetes Job still running), which the worker then treats as its own (heart-beats, cancellation,
    /// the state their end means). A launcher may keep background work going until <paramref name="stop"/> is cancelled.
    /// </summary>
    Task<IReadOnlyList<AdoptedRun>> StartAsync(CancellationToken stop) => Task.FromResult<IReadOnlyList<AdoptedRun>>([]);

    /// <summary>
    /// Runs the launcher sees alive that this worker is not running (Jobs of the pool started by another worker, or by an earlier
    /// life of this one): the worker lists them in its heart-beats, so the server does not take them for crashed while they run.
    /// </summary>
    IReadOnlyCollection<Guid> SeenAlive => [];

    /// <summary>Stops a run of <see cref="SeenAlive"/> whose cancellation the server asks for (its own worker may be gone).</summary>
    Task StopSeenAsync(Guid flowRunId, CancellationToken cancellationToken) => Task.CompletedTask;
}
