namespace Weir.Worker.Launchers;

/// <summary>A run an earlier life of this worker left going, which its launcher takes up again (<see cref="IFlowLauncher.StartAsync"/>).</summary>
/// <param name="FlowRunId">The run.</param>
/// <param name="DeploymentName">Its deployment, for the log.</param>
/// <param name="WaitAsync">Follows the run to its end, as <see cref="IFlowLauncher.LaunchAsync"/> would have: output, then how it ended; cancelling stops it.</param>
public sealed record AdoptedRun(Guid FlowRunId, string DeploymentName, Func<FlowOutput, CancellationToken, Task<FlowExit>> WaitAsync);
