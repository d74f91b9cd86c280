using System.Globalization;

namespace Weir.Server.Storage;

/// <summary>Aggregate reads for the web UI: each one query over an index, whatever the number of runs.</summary>
internal sealed partial class SqlStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<RunActivity>> RunActivityAsync(DateTimeOffset since, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<RunActivity>>(async s =>
    {
        var hour = Dialect.HourOf("created");
        return await s.QueryAsync($"""
            SELECT {hour} AS hour, state_type, COUNT(*) AS runs FROM flow_runs
            WHERE created >= @since GROUP BY {hour}, state_type ORDER BY hour
            """,
            r => new RunActivity(
                DateTimeOffset.ParseExact(r.Text("hour") + ":00:00Z", "yyyy-MM-dd'T'HH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
                r.State("state_type"), r.Int("runs")),
            ("@since", since)).ConfigureAwait(false);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<FlowRunSummary>> FlowRunSummariesAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<FlowRunSummary>>(async s =>
        await s.QueryAsync("SELECT flow_name, COUNT(*) AS runs, MAX(created) AS latest FROM flow_runs GROUP BY flow_name ORDER BY flow_name",
            r => new FlowRunSummary(r.Text("flow_name"), r.Int("runs"), r.TimeOrNull("latest"))).ConfigureAwait(false),
        cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<FlowRunDto>> LatestRunOfEachDeploymentAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<FlowRunDto>>(async s =>
        // One seek per deployment on flow_runs_deployment_created (deployment_name, created, id).
        await s.QueryAsync("""
            SELECT r.* FROM deployments d JOIN flow_runs r ON r.id = (
                SELECT x.id FROM flow_runs x WHERE x.deployment_name = d.flow_name || '/' || d.name ORDER BY x.created DESC, x.id DESC LIMIT 1)
            """, ReadRun).ConfigureAwait(false),
        cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunStateEvent>> TaskRunStatesAsync(Guid flowRunId, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<RunStateEvent>>(async s =>
        await s.QueryAsync("""
            SELECT s.task_run_id, s.state_type, s.state_name, s.message, s.time FROM task_run_states s
            JOIN task_runs t ON t.id = s.task_run_id
            WHERE t.flow_run_id = @run ORDER BY s.id
            """,
            r => new RunStateEvent(r.Guid("task_run_id"), r.State("state_type"), r.TextOrNull("message"), r.Time("time"), null, r.Text("state_name")),
            ("@run", flowRunId)).ConfigureAwait(false),
        cancellationToken);
}
