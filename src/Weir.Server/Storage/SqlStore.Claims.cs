using Weir.Client;

namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, CancellationToken cancellationToken)
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
            await EnsurePoolAsync(session, pool, now).ConfigureAwait(false);
            await TouchWorkerAsync(session, pool, worker, now).ConfigureAwait(false);
            var settings = await session.FirstAsync("SELECT paused, concurrency_limit FROM work_pools WHERE name = @pool",
                r => new PoolSettings(r.Flag("paused"), r.IntOrNull("concurrency_limit")), ("@pool", pool)).ConfigureAwait(false);
            if (settings is null || settings.Paused)
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
                        worker = @worker, run_count = run_count + 1
                    WHERE id = @id AND state_type = 'Scheduled'
                    """, ("@message", message), ("@now", now), ("@worker", worker), ("@id", id)).ConfigureAwait(false);
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
    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string pool, string worker, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var signal = signals.WaitAsync(pool);
            var claimed = await ClaimAsync(pool, worker, max, cancellationToken).ConfigureAwait(false);
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
    public Task<IReadOnlyList<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyList<Guid> running, CancellationToken cancellationToken)
    {
        CheckName(pool, "pool", "work pool name");
        CheckName(worker, "worker", "worker name");
        return WriteAsync<IReadOnlyList<Guid>>(async (session, _) =>
        {
            var now = Now;
            await EnsurePoolAsync(session, pool, now).ConfigureAwait(false);
            await TouchWorkerAsync(session, pool, worker, now).ConfigureAwait(false);
            if (running.Count == 0)
            {
                return [];
            }

            var stop = new List<Guid>();
            foreach (var chunk in running.Chunk(500))
            {
                var (list, parameters) = InList("id", chunk);

                // Alive as of now, whoever says so: a worker of the pool that sees the run's Kubernetes Job running keeps the run
                // from being taken for crashed though the worker that claimed it is gone (the crash rule reads alive_at).
                await session.ExecuteAsync($"UPDATE flow_runs SET alive_at = @now WHERE id IN {list} AND work_pool = @pool AND state_type IN {ActiveStates}",
                    [.. parameters, ("@now", now), ("@pool", pool)]).ConfigureAwait(false);
                stop.AddRange(await session.QueryAsync(
                    $"SELECT id FROM flow_runs WHERE id IN {list} AND (cancel_requested = 1 OR state_type IN ('Cancelling', 'Cancelled'))",
                    r => r.Guid("id"), parameters).ConfigureAwait(false));
            }

            return stop;
        }, cancellationToken);
    }

    private static Task<int> TouchWorkerAsync(DbSession session, string pool, string worker, DateTimeOffset now) =>
        session.ExecuteAsync("""
            INSERT INTO workers (pool, name, last_heartbeat) VALUES (@pool, @worker, @now)
            ON CONFLICT (pool, name) DO UPDATE SET last_heartbeat = excluded.last_heartbeat
            """, ("@pool", pool), ("@worker", worker), ("@now", now));

    private sealed record PoolSettings(bool Paused, int? Limit);
}
