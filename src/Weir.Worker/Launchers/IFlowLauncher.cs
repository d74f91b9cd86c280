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
}
