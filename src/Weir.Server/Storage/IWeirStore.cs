using System.Text.Json.Nodes;
using Weir.Client;

namespace Weir.Server.Storage;

/// <summary>
/// The storage contract of the server (as in Hangfire, storage is pluggable): SQLite and PostgreSQL
/// implement it. Every write is atomic; refusals are <see cref="StoreException"/>s whose message names
/// the field at fault.
/// </summary>
public interface IWeirStore
{
    /// <summary>Where the data lives, for people (no password).</summary>
    string Description { get; }

    /// <summary>Creates or updates a deployment; its version goes up when its version key changes.</summary>
    Task<DeploymentResult> UpsertDeploymentAsync(DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>A deployment by flow and name, or null.</summary>
    Task<DeploymentDto?> GetDeploymentAsync(string flow, string name, CancellationToken cancellationToken);

    /// <summary>A deployment by id, or null.</summary>
    Task<DeploymentDto?> GetDeploymentAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>All deployments.</summary>
    Task<IReadOnlyList<DeploymentDto>> ListDeploymentsAsync(CancellationToken cancellationToken);

    /// <summary>Deployments with at least one schedule.</summary>
    Task<IReadOnlyList<DeploymentDto>> ScheduledDeploymentsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a deployment and its runs that have not started; false when there was none.</summary>
    Task<bool> DeleteDeploymentAsync(string flow, string name, CancellationToken cancellationToken);

    /// <summary>Stores a compiled flow (a <c>StoredAsScript = false</c> registration) under its id; false when it was there already.</summary>
    Task<bool> PutBuildAsync(string id, byte[] content, CancellationToken cancellationToken);

    /// <summary>A stored build's archive, or null.</summary>
    Task<byte[]?> GetBuildAsync(string id, CancellationToken cancellationToken);

    /// <summary>All flows.</summary>
    Task<IReadOnlyList<FlowDto>> ListFlowsAsync(CancellationToken cancellationToken);

    /// <summary>Creates a Scheduled run; null when the deployment already has a run for that schedule time.</summary>
    Task<FlowRunDto?> CreateRunAsync(NewFlowRun run, CancellationToken cancellationToken);

    /// <summary>Creates runs in one transaction, skipping schedule times that already have one.</summary>
    Task<IReadOnlyList<FlowRunDto>> CreateRunsAsync(IReadOnlyList<NewFlowRun> runs, CancellationToken cancellationToken);

    /// <summary>A flow run, or null.</summary>
    Task<FlowRunDto?> GetRunAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Flow runs, newest first.</summary>
    Task<IReadOnlyList<FlowRunDto>> ListRunsAsync(FlowRunFilter filter, CancellationToken cancellationToken);

    /// <summary>How many runs were created in each hour since <paramref name="since"/>, by current state (for the dashboard).</summary>
    Task<IReadOnlyList<RunActivity>> RunActivityAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The newest run of each deployment that has run (for the deployments list).</summary>
    Task<IReadOnlyList<FlowRunDto>> LatestRunOfEachDeploymentAsync(CancellationToken cancellationToken);

    /// <summary>Each flow's run count and latest run time.</summary>
    Task<IReadOnlyList<FlowRunSummary>> FlowRunSummariesAsync(CancellationToken cancellationToken);

    /// <summary>The states of all task runs of a flow run, oldest first (<see cref="RunStateEvent.RunId"/> is the task run).</summary>
    Task<IReadOnlyList<RunStateEvent>> TaskRunStatesAsync(Guid flowRunId, CancellationToken cancellationToken);

    /// <summary>A flow run's states, oldest first.</summary>
    Task<IReadOnlyList<RunStateEvent>> RunHistoryAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Moves a flow run to a state under the orchestration rules (404 unknown run, 409 refused).</summary>
    Task<FlowRunDto> SetStateAsync(Guid id, StateRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a flow run to a state for a caller whose <paramref name="guard"/> says, from the run as it is now (row locked),
    /// why it may not report it (403 with that sentence), or null to go on.
    /// </summary>
    Task<FlowRunDto> SetStateAsync(Guid id, StateRequest request, Func<FlowRunDto, string?>? guard, CancellationToken cancellationToken);

    /// <summary>Cancels a run that has not started, or asks its worker to stop it.</summary>
    Task<FlowRunDto> CancelAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Atomically takes up to <paramref name="max"/> ready runs of a pool for a worker (none is ever taken twice).</summary>
    Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Claims, waiting up to <paramref name="wait"/> for a run to become ready (long poll), for the worker key named
    /// <paramref name="workerKey"/> (null: the admin), which the runs then record as theirs. An unknown pool is a 404
    /// naming the command that creates it: claims never create pools.
    /// </summary>
    Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, string? workerKey, CancellationToken cancellationToken);

    /// <summary>
    /// Records a worker's heart-beat and that the runs it lists are alive (their own, or runs whose Kubernetes Jobs it sees running);
    /// returns which of them to stop. As the admin: every listed run of the pool counts.
    /// </summary>
    Task<IReadOnlyList<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyList<Guid> running, CancellationToken cancellationToken);

    /// <summary>
    /// Records the heart-beat of a worker of the key named <paramref name="workerKey"/> (null: the admin) in a pool that
    /// exists (a heart-beat never creates one), and that the listed runs the key holds (claimed) are alive; returns which
    /// of those to stop. Runs of other keys it lists are ignored.
    /// </summary>
    Task<IReadOnlyList<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyList<Guid> running, string? workerKey, CancellationToken cancellationToken);

    /// <summary>Records the heart-beat of one active run (its token's, when its worker died); true when the run is to be cancelled.</summary>
    Task<bool> HeartbeatRunAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Applies an engine's batch (task runs, states, logs) in one transaction.</summary>
    Task<EventBatchResult> ApplyBatchAsync(EventBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a batch for a caller whose <paramref name="guard"/> says why it may not report one of the flow runs the batch
    /// touches (directly, or through their task runs): then nothing is written (403 with that sentence).
    /// </summary>
    Task<EventBatchResult> ApplyBatchAsync(EventBatch batch, Func<FlowRunDto, string?>? guard, CancellationToken cancellationToken);

    /// <summary>The deployments of the active runs (claimed, running, being cancelled) the worker key named <paramref name="workerKey"/> holds.</summary>
    Task<IReadOnlyList<DeploymentDto>> DeploymentsClaimedByAsync(string workerKey, CancellationToken cancellationToken);

    /// <summary>A run's log lines with ids above <paramref name="after"/>.</summary>
    Task<IReadOnlyList<LogDto>> LogsAsync(Guid flowRunId, long after, int limit, CancellationToken cancellationToken);

    /// <summary>A flow run's task runs.</summary>
    Task<IReadOnlyList<TaskRunDto>> TaskRunsAsync(Guid flowRunId, CancellationToken cancellationToken);

    /// <summary>A task run's states, oldest first.</summary>
    Task<IReadOnlyList<RunStateEvent>> TaskRunHistoryAsync(Guid taskRunId, CancellationToken cancellationToken);

    /// <summary>Creates or updates a work pool (its job template unchanged).</summary>
    Task<WorkPoolDto> PutPoolAsync(string name, string type, int? concurrencyLimit, bool? paused, CancellationToken cancellationToken) =>
        PutPoolAsync(name, type, concurrencyLimit, paused, null, cancellationToken);

    /// <summary>Creates or updates a work pool; a null <paramref name="baseJobTemplate"/> leaves the pool's template as it is.</summary>
    Task<WorkPoolDto> PutPoolAsync(string name, string type, int? concurrencyLimit, bool? paused, System.Text.Json.Nodes.JsonObject? baseJobTemplate, CancellationToken cancellationToken);

    /// <summary>A work pool, or null.</summary>
    Task<WorkPoolDto?> GetPoolAsync(string name, CancellationToken cancellationToken);

    /// <summary>All work pools with their workers.</summary>
    Task<IReadOnlyList<WorkPoolDto>> ListPoolsAsync(CancellationToken cancellationToken);

    /// <summary>The block types.</summary>
    Task<IReadOnlyList<BlockTypeDto>> ListBlockTypesAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a block; secret fields are encrypted.</summary>
    Task<BlockDto> PutBlockAsync(string type, string name, JsonObject fields, CancellationToken cancellationToken);

    /// <summary>A block, secret fields masked unless <paramref name="reveal"/>.</summary>
    Task<BlockDto?> GetBlockAsync(string type, string name, bool reveal, CancellationToken cancellationToken);

    /// <summary>Blocks (of one type, or all), secret fields always masked.</summary>
    Task<IReadOnlyList<BlockDto>> ListBlocksAsync(string? type, CancellationToken cancellationToken);

    /// <summary>Deletes a block; false when there was none.</summary>
    Task<bool> DeleteBlockAsync(string type, string name, CancellationToken cancellationToken);

    /// <summary>Sets a variable.</summary>
    Task<VariableDto> PutVariableAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>A variable, or null.</summary>
    Task<VariableDto?> GetVariableAsync(string name, CancellationToken cancellationToken);

    /// <summary>All variables.</summary>
    Task<IReadOnlyList<VariableDto>> ListVariablesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a variable; false when there was none.</summary>
    Task<bool> DeleteVariableAsync(string name, CancellationToken cancellationToken);

    /// <summary>Renames Scheduled runs more than <paramref name="threshold"/> past their start to Late; returns how many.</summary>
    Task<int> MarkLateRunsAsync(TimeSpan threshold, CancellationToken cancellationToken);

    /// <summary>
    /// Marks Crashed the runs of workers silent for longer than <paramref name="silence"/> that no heart-beat of any worker listed
    /// as alive in that time either (re-scheduled when retries allow); returns how many.
    /// </summary>
    Task<int> CrashRunsOfLostWorkersAsync(TimeSpan silence, CancellationToken cancellationToken);

    /// <summary>
    /// Records a new web UI login under the hash of its cookie value (never the value itself), and deletes the sessions
    /// that have expired: unused for <paramref name="idleTimeout"/>, or begun <paramref name="lifetime"/> ago.
    /// </summary>
    Task CreateUiSessionAsync(string tokenHash, TimeSpan idleTimeout, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// True when the web UI session exists and has not expired (see <see cref="CreateUiSessionAsync"/>); records that it
    /// was used now, to the minute. An expired session is deleted.
    /// </summary>
    Task<bool> UseUiSessionAsync(string tokenHash, TimeSpan idleTimeout, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Ends a web UI session (logout); false when there was none.</summary>
    Task<bool> DeleteUiSessionAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Reaches the database with a trivial query; throws what the database driver throws when it cannot.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
