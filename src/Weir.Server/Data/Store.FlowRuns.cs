using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Weir.Client;
using static Weir.Server.Data.Database;

namespace Weir.Server.Data;

internal sealed partial class Store
{
    private static readonly StateType[] s_active = [StateType.Pending, StateType.Running, StateType.Retrying, StateType.Cancelling];

    /// <summary>Creates a run of a deployment: its default parameters overlaid with <paramref name="overrides"/>, Scheduled for <paramref name="start"/>.</summary>
    public async Task<FlowRunDto> CreateRunAsync(DeploymentDto deployment, JsonObject? overrides, DateTimeOffset? start = null, string? scheduleKey = null)
    {
        var parameters = (JsonObject)deployment.Parameters.DeepClone();
        foreach (var (key, value) in overrides ?? [])
        {
            parameters[key] = value?.DeepClone();
        }

        var names = (deployment.Structure["parameters"] as JsonArray ?? []).Select(p => p?["name"]?.GetValue<string>()).ToHashSet();
        foreach (var key in overrides?.Select(o => o.Key) ?? [])
        {
            if (!names.Contains(key))
            {
                throw new StoreException(400, $"Flow '{deployment.FlowName}' has no parameter '{key}'; its parameters: {(names.Count == 0 ? "none" : string.Join(", ", names))}.", "parameters." + key);
            }
        }

        var id = await Database.WriteAsync(async (c, t) =>
        {
            var now = Now;
            var runId = Guid.CreateVersion7(now);
            using var command = Command(c, t, """
                INSERT INTO flow_runs (id, flow_name, deployment_id, deployment_name, parameters, state, state_time, work_pool, retries, retry_delay, expected_start, created, schedule_key)
                VALUES ($id, $f, $d, $dn, $p, 'Scheduled', $now, $pool, $r, $rd, $start, $now, $key) ON CONFLICT (schedule_key) DO NOTHING
                """,
                ("$id", runId), ("$f", deployment.FlowName), ("$d", deployment.Id), ("$dn", deployment.FullName), ("$p", parameters.ToJsonString()),
                ("$now", now), ("$pool", deployment.WorkPool), ("$r", deployment.Retries), ("$rd", deployment.RetryDelaySeconds), ("$start", start ?? now), ("$key", scheduleKey));
            if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                return Guid.Empty;
            }

            History(c, t, runId, StateType.Scheduled, null, now);
            return runId;
        }).ConfigureAwait(false);
        signals.Signal(deployment.WorkPool);
        return id == Guid.Empty ? null! : (await GetRunAsync(id).ConfigureAwait(false))!;
    }

    public Task<FlowRunDto?> GetRunAsync(Guid id) => Database.ReadAsync(c => RunAsync(c, null, id));

    public Task<List<FlowRunDto>> ListRunsAsync(int limit, string? deployment, StateType? state) => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, """
            SELECT * FROM flow_runs WHERE ($d IS NULL OR deployment_name = $d) AND ($s IS NULL OR state = $s)
            ORDER BY created DESC LIMIT $limit
            """, ("$d", deployment), ("$s", state?.ToString()), ("$limit", limit));
        return await ListAsync(command, ReadRun).ConfigureAwait(false);
    });

    public Task<List<RunStateEvent>> RunHistoryAsync(Guid id) => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM flow_run_states WHERE flow_run_id = $id ORDER BY id", ("$id", id));
        return await ListAsync(command, r => new RunStateEvent(id, Enum.Parse<StateType>((string)r["state"]), Text(r, "message"), Time((string)r["time"]))).ConfigureAwait(false);
    });

    /// <summary>Moves a run to a state under the state rules; 404 for an unknown run, 409 for a refused move.</summary>
    public async Task<FlowRunDto> SetStateAsync(Guid id, StateRequest request)
    {
        var pool = await Database.WriteAsync(async (c, t) =>
        {
            var run = await RunAsync(c, t, id).ConfigureAwait(false) ?? throw new StoreException(404, $"There is no flow run {id}.");
            if (request.Expected is { } expected && run.State != expected)
            {
                throw new StoreException(409, $"Flow run {id} is {run.State}, not {expected}; its state was not changed.", "expected");
            }

            if (!StateRules.IsAllowed(run.State, request.Type))
            {
                throw new StoreException(409, $"Flow run {id} is {run.State}, which cannot become {request.Type}.", "type");
            }

            return ApplyState(c, t, run, request.Type, request.Message, Now);
        }).ConfigureAwait(false);
        if (pool is not null)
        {
            signals.Signal(pool);
        }

        return (await GetRunAsync(id).ConfigureAwait(false))!;
    }

    /// <summary>Asks for a run to stop: a run no worker holds is Cancelled at once; a running one becomes Cancelling and its worker kills it.</summary>
    public async Task<FlowRunDto> CancelAsync(Guid id)
    {
        await Database.WriteAsync(async (c, t) =>
        {
            var run = await RunAsync(c, t, id).ConfigureAwait(false) ?? throw new StoreException(404, $"There is no flow run {id}.");
            if (run.State.IsTerminal())
            {
                throw new StoreException(409, $"Flow run {id} already ended ({run.State}).");
            }

            if (run.State == StateType.Scheduled)
            {
                ApplyState(c, t, run, StateType.Cancelled, "Cancelled before it started.", Now);
            }
            else
            {
                Execute(c, t, "UPDATE flow_runs SET cancel_requested = 1 WHERE id = $id", ("$id", id));
                ApplyState(c, t, run, StateType.Cancelling, "Cancellation requested.", Now);
            }

            return 0;
        }).ConfigureAwait(false);
        return (await GetRunAsync(id).ConfigureAwait(false))!;
    }

    public async Task SetProvenanceAsync(Guid id, ProvenanceRequest request)
    {
        var updated = await Database.WriteAsync((c, t) =>
        {
            using var command = Command(c, t, "UPDATE flow_runs SET commit_sha = COALESCE($c, commit_sha), manifest_hash = $m, content_hash = $h, drift_warning = $d WHERE id = $id",
                ("$c", request.Commit), ("$m", request.ManifestHash), ("$h", request.ContentHash), ("$d", request.DriftWarning), ("$id", id));
            return command.ExecuteNonQueryAsync();
        }).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new StoreException(404, $"There is no flow run {id}.");
        }
    }

    /// <summary>Atomically takes the oldest ready run of a pool for a worker, or null.</summary>
    public Task<ClaimResponse?> TryClaimAsync(string pool, string worker) => Database.WriteAsync(async (c, t) =>
    {
        var now = Now;
        Execute(c, t, "INSERT INTO workers (name, pool, last_heartbeat) VALUES ($w, $p, $now) ON CONFLICT (name, pool) DO UPDATE SET last_heartbeat = $now", ("$w", worker), ("$p", pool), ("$now", now));
        using var find = Command(c, t, "SELECT id FROM flow_runs WHERE work_pool = $p AND state = 'Scheduled' AND expected_start <= $now ORDER BY expected_start, id LIMIT 1", ("$p", pool), ("$now", now));
        if (await find.ExecuteScalarAsync().ConfigureAwait(false) is not string found)
        {
            return null;
        }

        var id = Guid.Parse(found);
        Execute(c, t, "UPDATE flow_runs SET worker = $w, run_count = run_count + 1 WHERE id = $id", ("$w", worker), ("$id", id));
        var run = (await RunAsync(c, t, id).ConfigureAwait(false))!;
        ApplyState(c, t, run, StateType.Pending, $"Claimed by worker {worker}.", now);
        run = (await RunAsync(c, t, id).ConfigureAwait(false))!;
        var deployment = run.DeploymentId is { } d ? await DeploymentAsync(c, t, "id = $id", ("$id", d)).ConfigureAwait(false) : null;
        return deployment is null ? null : new ClaimResponse(run, deployment);
    });

    /// <summary>Claims, waiting up to <paramref name="wait"/> for a run to become ready (long poll).</summary>
    public async Task<ClaimResponse?> ClaimAsync(string pool, string worker, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var signal = signals.WaitAsync(pool);
            if (await TryClaimAsync(pool, worker).ConfigureAwait(false) is { } claimed)
            {
                return claimed;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            // Woken by a new run, or at the latest every second for runs scheduled to start later.
            await Task.WhenAny(signal, Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<List<Guid>> HeartbeatAsync(string pool, string worker, IReadOnlyList<Guid> running) => Database.WriteAsync(async (c, t) =>
    {
        Execute(c, t, "INSERT INTO workers (name, pool, last_heartbeat) VALUES ($w, $p, $now) ON CONFLICT (name, pool) DO UPDATE SET last_heartbeat = $now", ("$w", worker), ("$p", pool), ("$now", Now));
        using var command = Command(c, t, "SELECT id FROM flow_runs WHERE worker = $w AND cancel_requested = 1 AND state NOT IN ('Completed', 'Failed', 'Crashed', 'Cancelled')", ("$w", worker));
        var cancel = await ListAsync(command, r => Guid.Parse((string)r["id"])).ConfigureAwait(false);
        return cancel.Where(running.Contains).ToList();
    });

    /// <summary>Marks Crashed the runs of workers that stopped heart-beating, and re-schedules those whose deployment allows retries.</summary>
    public async Task<int> CrashRunsOfLostWorkersAsync(TimeSpan silence)
    {
        var pools = await Database.WriteAsync(async (c, t) =>
        {
            var now = Now;
            using var command = Command(c, t, $"""
                SELECT r.* FROM flow_runs r JOIN workers w ON w.name = r.worker AND w.pool = r.work_pool
                WHERE r.state IN ({string.Join(", ", s_active.Select(s => $"'{s}'"))}) AND w.last_heartbeat < $cutoff
                """, ("$cutoff", now - silence));
            var lost = await ListAsync(command, ReadRun).ConfigureAwait(false);
            var touched = new List<string>();
            foreach (var run in lost)
            {
                if (ApplyState(c, t, run, StateType.Crashed, $"Worker {run.Worker} stopped heart-beating (silent for more than {silence.TotalSeconds:0} s).", now) is { } pool)
                {
                    touched.Add(pool);
                }
            }

            return touched;
        }).ConfigureAwait(false);
        foreach (var pool in pools.Distinct())
        {
            signals.Signal(pool);
        }

        return pools.Count;
    }

    /// <summary>Writes the state and its history; a crash with retries left is re-scheduled. Returns the pool to wake, if any.</summary>
    private string? ApplyState(SqliteConnection c, SqliteTransaction t, FlowRunDto run, StateType type, string? message, DateTimeOffset now)
    {
        if (run.State == type && type is StateType.Pending or StateType.Running)
        {
            return null;
        }

        Execute(c, t, "UPDATE flow_runs SET state = $s, state_message = $m, state_time = $now WHERE id = $id", ("$s", type.ToString()), ("$m", message), ("$now", now), ("$id", run.Id));
        History(c, t, run.Id, type, message, now);
        if (type == StateType.Crashed && run.RunCount <= RetriesOf(c, t, run.Id) && !run.CancelRequested)
        {
            var retry = $"Re-scheduled after a crash (attempt {run.RunCount + 1}).";
            Execute(c, t, "UPDATE flow_runs SET state = 'Scheduled', state_message = $m, state_time = $now, worker = NULL, expected_start = $start WHERE id = $id",
                ("$m", retry), ("$now", now), ("$start", now + TimeSpan.FromSeconds(RetryDelayOf(c, t, run.Id))), ("$id", run.Id));
            History(c, t, run.Id, StateType.Scheduled, retry, now);
            return run.WorkPool;
        }

        return null;
    }

    private static int RetriesOf(SqliteConnection c, SqliteTransaction t, Guid id)
    {
        using var command = Command(c, t, "SELECT retries FROM flow_runs WHERE id = $id", ("$id", id));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static double RetryDelayOf(SqliteConnection c, SqliteTransaction t, Guid id)
    {
        using var command = Command(c, t, "SELECT retry_delay FROM flow_runs WHERE id = $id", ("$id", id));
        return Convert.ToDouble(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void History(SqliteConnection c, SqliteTransaction t, Guid id, StateType type, string? message, DateTimeOffset now) =>
        Execute(c, t, "INSERT INTO flow_run_states (flow_run_id, state, message, time) VALUES ($id, $s, $m, $now)", ("$id", id), ("$s", type.ToString()), ("$m", message), ("$now", now));

    private static async Task<FlowRunDto?> RunAsync(SqliteConnection c, SqliteTransaction? t, Guid id)
    {
        using var command = Command(c, t, "SELECT * FROM flow_runs WHERE id = $id", ("$id", id));
        return (await ListAsync(command, ReadRun).ConfigureAwait(false)).FirstOrDefault();
    }

    private static FlowRunDto ReadRun(SqliteDataReader r) => new()
    {
        Id = Guid.Parse((string)r["id"]),
        FlowName = (string)r["flow_name"],
        DeploymentId = Text(r, "deployment_id") is { } d ? Guid.Parse(d) : null,
        DeploymentName = Text(r, "deployment_name"),
        Parameters = Object((string)r["parameters"]),
        State = Enum.Parse<StateType>((string)r["state"]),
        StateMessage = Text(r, "state_message"),
        StateTime = Time((string)r["state_time"]),
        WorkPool = Text(r, "work_pool"),
        Worker = Text(r, "worker"),
        RunCount = Convert.ToInt32(r["run_count"], CultureInfo.InvariantCulture),
        ExpectedStart = Time((string)r["expected_start"]),
        Created = Time((string)r["created"]),
        Commit = Text(r, "commit_sha"),
        ManifestHash = Text(r, "manifest_hash"),
        ContentHash = Text(r, "content_hash"),
        DriftWarning = Text(r, "drift_warning"),
        CancelRequested = Convert.ToInt32(r["cancel_requested"], CultureInfo.InvariantCulture) == 1,
    };
}
