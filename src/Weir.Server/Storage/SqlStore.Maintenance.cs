namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <inheritdoc />
    public Task<int> MarkLateRunsAsync(TimeSpan threshold, CancellationToken cancellationToken) => WriteAsync(async (session, _) =>
    {
        var now = Now;
        var late = await session.QueryAsync(
            "SELECT id, expected_start FROM flow_runs WHERE state_type = 'Scheduled' AND state_name = 'Scheduled' AND expected_start < @cutoff" + Dialect.SkipLocked,
            r => (Id: r.Guid("id"), Start: r.Time("expected_start")), ("@cutoff", now - threshold)).ConfigureAwait(false);
        foreach (var (id, start) in late)
        {
            var message = $"Not started {(now - start).TotalSeconds:0} s after its expected start; is a worker polling its pool?";
            await session.ExecuteAsync("UPDATE flow_runs SET state_name = 'Late', state_message = @message, state_time = @now, updated = @now WHERE id = @id",
                ("@message", message), ("@now", now), ("@id", id)).ConfigureAwait(false);
            await AddHistoryAsync(session, id, StateType.Scheduled, "Late", message, now).ConfigureAwait(false);
        }

        return late.Count;
    }, cancellationToken);

    /// <inheritdoc />
    public Task<int> CrashRunsOfLostWorkersAsync(TimeSpan silence, CancellationToken cancellationToken) => WriteAsync(async (session, wake) =>
    {
        var now = Now;
        // A claim marks its run alive and every heart-beat lists the runs its worker holds (a flow process's own heart-beat
        // its run), so a run nobody listed for the whole window is lost: its worker went silent, or heart-beats again after
        // a restart under the same name (a service with a fixed --name) without the run, which died with its last life.
        async Task<IReadOnlyList<FlowRunDto>> LostAsync(string worker) => await session.QueryAsync($"""
            SELECT r.* FROM flow_runs r JOIN workers w ON w.name = r.worker AND w.pool = r.work_pool AND w.worker_key = COALESCE(r.claimed_by, '')
            WHERE r.state_type IN {ActiveStates} AND (r.alive_at IS NULL OR r.alive_at < @cutoff) AND {worker}
            """ + (Dialect.SkipLocked.Length > 0 ? " FOR UPDATE OF r SKIP LOCKED" : string.Empty), ReadRun, ("@cutoff", now - silence)).ConfigureAwait(false);
        var lost = (await LostAsync("w.last_heartbeat < @cutoff").ConfigureAwait(false))
            .Select(run => (Run: run, Why: $"Worker {run.Worker} stopped heart-beating (silent for more than {silence.TotalSeconds:0} s)"))
            .Concat((await LostAsync("w.last_heartbeat >= @cutoff AND r.alive_at IS NOT NULL").ConfigureAwait(false))
                .Select(run => (Run: run, Why: $"Worker {run.Worker} heart-beats without the run (it restarted without it; not listed for more than {silence.TotalSeconds:0} s)")))
            .ToList();
        foreach (var (run, silent) in lost)
        {
            if (run.State == StateType.Cancelling || run.CancelRequested)
            {
                await ApplyStateAsync(session, run, StateType.Cancelled, null, silent + " while the run was being cancelled.", now, wake).ConfigureAwait(false);
            }
            else
            {
                await ApplyStateAsync(session, run, StateType.Crashed, null, silent + ".", now, wake).ConfigureAwait(false);
            }
        }

        return lost.Count;
    }, cancellationToken);

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) => ReadAsync(s => s.ScalarAsync("SELECT 1"), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentDto>> ScheduledDeploymentsAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<DeploymentDto>>(async s =>
        await s.QueryAsync("SELECT * FROM deployments WHERE schedules <> '[]' ORDER BY id", ReadDeployment).ConfigureAwait(false), cancellationToken);
}
