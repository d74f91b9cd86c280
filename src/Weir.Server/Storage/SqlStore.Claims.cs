namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, CancellationToken cancellationToken) =>
        ClaimAsync(pool, worker, max, workerKey: null, cancellationToken);

    private async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, string? workerKey, CancellationToken cancellationToken)
    {
        CheckName(pool, "pool", "work pool name");
        CheckName(worker, "worker", "worker name");
        if (max is < 1 or > 100)
        {
            throw new StoreException(400, $"A claim takes 1 to 100 runs ('max'), not {max}.", "max");
        }

        var claimed = await WriteAsync(async (session, _) =>
        {
            var now = Now;
            // Only an admin creates pools (weir work-pool create, or weir deploy for its deployments' pools): a claim on
            // an unknown pool is a typo or a pool nobody set up, and says which.
            var settings = await session.FirstAsync("SELECT paused, concurrency_limit FROM work_pools WHERE name = @pool",
                r => new PoolSettings(r.Flag("paused"), r.IntOrNull("concurrency_limit")), ("@pool", pool)).ConfigureAwait(false)
                ?? throw new StoreException(404, $"There is no work pool '{pool}'; an admin creates it with: weir work-pool create {pool} --type process (weir deploy creates its deployments' pools).", "pool");
            await TouchWorkerAsync(session, pool, worker, workerKey, now).ConfigureAwait(false);
            if (settings.Paused)
            {
                return [];
            }

            var take = max;
            if (settings.Limit is { } limit)
            {
                // Serializes this pool's claimers so the limit holds (PostgreSQL); SQLite writes are serialized already.
                await session.ExecuteAsync("SELECT name FROM work_pools WHERE name = @pool" + Dialect.ForUpdate, ("@pool", pool)).ConfigureAwait(false);
                var active = Convert.ToInt32(await session.ScalarAsync($"SELECT COUNT(*) FROM flow_runs WHERE work_pool = @pool AND state_type IN {ActiveStates}", ("@pool", pool)).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture);
                take = Math.Min(take, limit - active);
                if (take <= 0)
                {
                    return [];
                }
            }

            var ids = await session.QueryAsync(
                "SELECT id FROM flow_runs WHERE work_pool = @pool AND state_type = 'Scheduled' AND expected_start <= @now ORDER BY expected_start, id LIMIT @take" + Dialect.SkipLocked,
                r => r.Guid("id"), ("@pool", pool), ("@now", now), ("@take", take)).ConfigureAwait(false);
            var message = $"Claimed by worker {worker}.";
            foreach (var id in ids)
            {
                var updated = await session.ExecuteAsync("""
                    UPDATE flow_runs SET state_type = 'Pending', state_name = 'Pending', state_message = @message, state_time = @now, updated = @now,
                        worker = @worker, claimed_by = @key, alive_at = @now, run_count = run_count + 1
                    WHERE id = @id AND state_type = 'Scheduled'
                    """, ("@message", message), ("@now", now), ("@worker", worker), ("@key", workerKey), ("@id", id)).ConfigureAwait(false);
                if (updated != 1)
                {
                    throw new InvalidOperationException($"Flow run {id} changed under a claim; the claim transaction is rolled back.");
                }

                await AddHistoryAsync(session, id, StateType.Pending, "Pending", message, now).ConfigureAwait(false);
            }

            var runs = ids.Count == 0 ? [] : await RunsByIdAsync(session, ids).ConfigureAwait(false);
            var result = new List<ClaimedRun>(runs.Count);
            var deployments = new Dictionary<Guid, DeploymentDto?>();
            foreach (var run in runs)
            {
                if (run.DeploymentId is not { } deploymentId)
                {
                    continue;
                }

                if (!deployments.TryGetValue(deploymentId, out var deployment))
                {
                    deployment = deployments[deploymentId] = await DeploymentAsync(session, "id = @id", ("@id", deploymentId)).ConfigureAwait(false);
                }

                if (deployment is not null)
                {
                    result.Add(ClaimedRun.From(run, deployment));
                }
            }

            return result;
        }, cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, string? workerKey, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var signal = signals.WaitAsync(pool);
            var claimed = await ClaimAsync(pool, worker, max, workerKey, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var left = deadline - now;
            if (claimed.Count > 0 || left <= TimeSpan.Zero)
            {
                return claimed;
            }

            // Sleep until a signal, the next scheduled start in this pool, or a short fallback poll
            // (a NOTIFY lost to a dropped listener connection must not strand a run).
            var next = await ReadAsync(s => s.ScalarAsync("SELECT MIN(expected_start) FROM flow_runs WHERE work_pool = @pool AND state_type = 'Scheduled'", ("@pool", pool)), cancellationToken).ConfigureAwait(false);
            var delay = TimeSpan.FromSeconds(2);
            if (DbRead.ToTime(next) is { } start)
            {
                var untilStart = start - now + TimeSpan.FromMilliseconds(1);
                delay = untilStart < delay ? (untilStart > TimeSpan.Zero ? untilStart : TimeSpan.FromMilliseconds(50)) : delay;
            }

            delay = left < delay ? left : delay;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sleep = Task.Delay(delay, time, timeout.Token);
            await Task.WhenAny(signal, sleep).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyList<Guid> running, CancellationToken cancellationToken) =>
        HeartbeatAsync(pool, worker, running, workerKey: null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyList<Guid> running, string? workerKey, CancellationToken cancellationToken)
    {
        CheckName(pool, "pool", "work pool name");
        CheckName(worker, "worker", "worker name");
        return WriteAsync<IReadOnlyList<Guid>>(async (session, _) =>
        {
            var now = Now;
            // A heart-beat never creates a pool: in an unknown pool (deleted, or never made) it records no worker, and
            // still answers which of the worker's runs to stop.
            if (await session.ScalarAsync("SELECT name FROM work_pools WHERE name = @pool", ("@pool", pool)).ConfigureAwait(false) is not null)
            {
                await TouchWorkerAsync(session, pool, worker, workerKey, now).ConfigureAwait(false);
            }

            if (running.Count == 0)
            {
                return [];
            }

            // A worker key keeps alive and hears about only the runs it holds: those it claimed, under any of its workers' names
            // (a kubernetes worker that restarts under another name adopts its key's Jobs). Runs of other keys it lists are
            // ignored, so no key can keep another's run from being taken for crashed. The admin (null) holds every run.
            var held = workerKey is null ? string.Empty : " AND claimed_by = @key";
            var stop = new List<Guid>();
            foreach (var chunk in running.Chunk(500))
            {
                var (list, parameters) = InList("id", chunk);
                var heldParameters = workerKey is null ? parameters : [.. parameters, ("@key", workerKey)];

                // Alive as of now: a worker of the pool that sees the run's Kubernetes Job running keeps the run from being taken
                // for crashed though the worker that claimed it is gone (the crash rule reads alive_at).
                await session.ExecuteAsync($"UPDATE flow_runs SET alive_at = @now WHERE id IN {list} AND work_pool = @pool AND state_type IN {ActiveStates}{held}",
                    [.. heldParameters, ("@now", now), ("@pool", pool)]).ConfigureAwait(false);
                stop.AddRange(await session.QueryAsync(
                    $"SELECT id FROM flow_runs WHERE id IN {list} AND (cancel_requested = 1 OR state_type IN ('Cancelling', 'Cancelled')){held}",
                    r => r.Guid("id"), heldParameters).ConfigureAwait(false));
            }

            return stop;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> HeartbeatRunAsync(Guid id, CancellationToken cancellationToken) => WriteAsync(async (session, _) =>
    {
        var now = Now;
        await session.ExecuteAsync($"UPDATE flow_runs SET alive_at = @now WHERE id = @id AND state_type IN {ActiveStates}", ("@now", now), ("@id", id)).ConfigureAwait(false);
        return await session.ScalarAsync("SELECT id FROM flow_runs WHERE id = @id AND (cancel_requested = 1 OR state_type IN ('Cancelling', 'Cancelled'))", ("@id", id)).ConfigureAwait(false) is not null;
    }, cancellationToken);

    private static Task<int> TouchWorkerAsync(DbSession session, string pool, string worker, string? workerKey, DateTimeOffset now) =>
        session.ExecuteAsync("""
            INSERT INTO workers (pool, name, worker_key, last_heartbeat) VALUES (@pool, @worker, @key, @now)
            ON CONFLICT (pool, name, worker_key) DO UPDATE SET last_heartbeat = excluded.last_heartbeat
            """, ("@pool", pool), ("@worker", worker), ("@key", workerKey ?? string.Empty), ("@now", now));

    private sealed record PoolSettings(bool Paused, int? Limit);
}
