using System.Collections.Concurrent;
using Weir.Client;
using Weir.Storage.Templating;

namespace Weir.Worker.Kubernetes.Tests;

/// <summary>The Weir server as a kubernetes worker sees it, in memory: runs to claim, the states the worker sets, the runs it knows.</summary>
internal sealed class FakeWorkerServer : IWorkerServer
{
    public ConcurrentQueue<ClaimedRun> ToClaim { get; } = new();

    public ConcurrentQueue<(Guid Run, StateType State, string? Message)> States { get; } = new();

    public ConcurrentDictionary<Guid, FlowRunDto> Runs { get; } = new();

    public ConcurrentQueue<IReadOnlyCollection<Guid>> Heartbeats { get; } = new();

    public IReferenceResolver References => throw new NotSupportedException("a kubernetes worker resolves no references itself; the runner in the pod does");

    public IReadOnlyDictionary<string, string> ChildEnvironment { get; } =
        new Dictionary<string, string> { ["WEIR_API_URL"] = "http://127.0.0.1:4200", ["WEIR_API_KEY"] = "key-123", ["WEIR_HOME"] = "/home/worker/.weir" };

    public Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClaimedRun>>(ToClaim.TryDequeue(out var run) ? [run] : []);

    public Task<IReadOnlyCollection<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyCollection<Guid> running, CancellationToken cancellationToken)
    {
        Heartbeats.Enqueue([.. running]);
        return Task.FromResult<IReadOnlyCollection<Guid>>([]);
    }

    public Task SetStateAsync(Guid flowRunId, StateType type, string? message, CancellationToken cancellationToken)
    {
        States.Enqueue((flowRunId, type, message));
        return Task.CompletedTask;
    }

    public Task<EventBatchResult> ReportAsync(EventBatch report, CancellationToken cancellationToken) => Task.FromResult(new EventBatchResult([]));

    public Task<FlowRunDto?> GetRunAsync(Guid flowRunId, CancellationToken cancellationToken) => Task.FromResult(Runs.TryGetValue(flowRunId, out var run) ? run : null);

    public static FlowRunDto Run(Guid id, StateType state, int runCount = 1) => new()
    {
        Id = id,
        FlowName = "hello",
        DeploymentName = "hello/k8s",
        Parameters = [],
        State = state,
        StateTime = DateTimeOffset.UnixEpoch,
        ExpectedStart = DateTimeOffset.UnixEpoch,
        Created = DateTimeOffset.UnixEpoch,
        RunCount = runCount,
    };
}
