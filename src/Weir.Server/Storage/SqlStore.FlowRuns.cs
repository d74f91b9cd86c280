using System.Data.Common;
using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server.Rules;

namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    internal const string ActiveStates = "('Pending', 'Running', 'Retrying', 'Cancelling')";

    /// <inheritdoc />
    public async Task<FlowRunDto?> CreateRunAsync(NewFlowRun run, CancellationToken cancellationToken)
    {
        var created = await CreateRunsAsync([run], cancellationToken).ConfigureAwait(false);
        return created.Count == 0 ? null : created[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FlowRunDto>> CreateRunsAsync(IReadOnlyList<NewFlowRun> runs, CancellationToken cancellationToken)
    {
        var prepared = runs.Select(r => (Run: r, Parameters: MergeParameters(r.Deployment, r.Parameters))).ToList();
        var ids = await WriteAsync(async (session, wake) =>
        {
            var now = Now;
            var created = new List<Guid>();
            var ids = await NewRunIdsAsync(session, now, prepared.Count).ConfigureAwait(false);
            foreach (var ((run, parameters), id) in prepared.Zip(ids))
            {
                var deployment = run.Deployment;
                var start = run.Start is { } s ? SqlDialect.Truncate(s) : now;
                var inserted = await session.ExecuteAsync("""
                    INSERT INTO flow_runs (id, flow_name, deployment_id, deployment_name, parameters, state_type, state_name, state_time, work_pool,
                        retries, retry_delay, expected_start, scheduled_for, created, updated)
                    VALUES (@id, @flow, @deployment, @deploymentName, @parameters, 'Scheduled', 'Scheduled', @now, @pool, @retries, @retryDelay, @start, @scheduledFor, @now, @now)
                    ON CONFLICT DO NOTHING
                    """,
                    ("@id", id), ("@flow", deployment.FlowName), ("@deployment", deployment.Id), ("@deploymentName", deployment.FullName),
                    ("@parameters", parameters.ToJsonString()), ("@now", now), ("@pool", deployment.WorkPool), ("@retries", deployment.Retries),
                    ("@retryDelay", deployment.RetryDelaySeconds), ("@start", start), ("@scheduledFor", run.ScheduledFor is { } f ? SqlDialect.Truncate(f) : null)).ConfigureAwait(false);
                if (inserted == 0)
                {
                    continue; // this deployment already has a run for this schedule time
                }

                await AddHistoryAsync(session, id, StateType.Scheduled, "Scheduled", null, now).ConfigureAwait(false);
                created.Add(id);
                wake.Add(deployment.WorkPool);
            }

            return created;
        }, cancellationToken).ConfigureAwait(false);
        return ids.Count == 0 ? [] : await ReadAsync(s => RunsByIdAsync(s, ids), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// New run ids whose short ids (<see cref="FlowRunDto.ShortId"/>, 32 random bits) no other run has: people
    /// name runs by them, so a new run's is never ambiguous. A clash is rare; the clashing ids are drawn again.
    /// </summary>
    private async Task<Guid[]> NewRunIdsAsync(DbSession session, DateTimeOffset now, int count)
    {
        var ids = new Guid[count];
        var draw = Enumerable.Range(0, count).ToList();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        while (draw.Count > 0)
        {
            foreach (var i in draw)
            {
                ids[i] = Guid.CreateVersion7(now.AddTicks(i));
            }

            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in draw.Select(i => FlowRunDto.ShortIdOf(ids[i])).Chunk(500))
            {
                var (list, parameters) = InList("s", chunk);
                taken.UnionWith(await session.QueryAsync($"SELECT {Dialect.ShortIdOf("id")} AS short_id FROM flow_runs WHERE {Dialect.ShortIdOf("id")} IN {list}",
                    r => r.Text("short_id"), parameters).ConfigureAwait(false));
            }

            draw = [.. draw.Where(i => taken.Contains(FlowRunDto.ShortIdOf(ids[i])) || !kept.Add(FlowRunDto.ShortIdOf(ids[i])))];
        }

        return ids;
    }

    /// <inheritdoc />
    public Task<FlowRunDto?> GetRunAsync(Guid id, CancellationToken cancellationToken) => ReadAsync(s => RunAsync(s, id), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<FlowRunDto>> ListRunsAsync(FlowRunFilter filter, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<FlowRunDto>>(async s =>
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", Math.Clamp(filter.Limit, 1, 10_000)) };
        if (filter.Deployment is { } deployment)
        {
            where.Add("deployment_name = @deployment");
            parameters.Add(("@deployment", deployment));
        }

        if (filter.Flow is { } flow)
        {
            where.Add("flow_name = @flow");
            parameters.Add(("@flow", flow));
        }

        if (filter.State is { } state)
        {
            where.Add("state_type = @state");
            parameters.Add(("@state", state));
        }

        if (filter.WorkPool is { } pool)
        {
            where.Add("work_pool = @pool");
            parameters.Add(("@pool", pool));
        }

        if (filter.StateName is { } stateName)
        {
            where.Add("state_name = @stateName");
            parameters.Add(("@stateName", stateName));
        }

        if (filter.IdPrefix is { } typed)
        {
            var prefix = RunIdPrefix.Normalize(typed) ?? throw new StoreException(400, RunIdPrefix.Invalid(typed), "id");
            // Both readings of what was typed: the start of the id, or of the short id (the id's random tail), each an index range.
            var (low, high) = RunIdPrefix.IdRange(prefix);
            var match = "id BETWEEN @idLow AND @idHigh";
            parameters.Add(("@idLow", low));
            parameters.Add(("@idHigh", high));
            if (prefix.Length <= 12)
            {
                var shortId = Dialect.ShortIdOf("id");
                match += $" OR ({shortId} BETWEEN @shortLow AND @shortHigh";
                parameters.Add(("@shortLow", prefix[..Math.Min(8, prefix.Length)].PadRight(8, '0')));
                parameters.Add(("@shortHigh", prefix[..Math.Min(8, prefix.Length)].PadRight(8, 'f')));
                if (prefix.Length > 8)
                {
                    // More of the tail than the short id holds: the rest of the group must match too.
                    match += $" AND {Dialect.IdTailOf("id", prefix.Length)} = @tail";
                    parameters.Add(("@tail", prefix));
                }

                match += ")";
            }

            where.Add("(" + match + ")");
        }

        if (filter.Since is { } since)
        {
            where.Add("created >= @since");
            parameters.Add(("@since", since));
        }

        if (filter.Until is { } until)
        {
            where.Add("created < @until");
            parameters.Add(("@until", until));
        }

        var sql = "SELECT * FROM flow_runs" + (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) + " ORDER BY created DESC, id DESC LIMIT @limit";
        return await s.QueryAsync(sql, ReadRun, [.. parameters]).ConfigureAwait(false);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunStateEvent>> RunHistoryAsync(Guid id, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<RunStateEvent>>(async s =>
        await s.QueryAsync("SELECT * FROM flow_run_states WHERE flow_run_id = @id ORDER BY id", r =>
            new RunStateEvent(id, r.State("state_type"), r.TextOrNull("message"), r.Time("time"), null, r.Text("state_name")), ("@id", id)).ConfigureAwait(false),
        cancellationToken);

    /// <inheritdoc />
    public Task<FlowRunDto> SetStateAsync(Guid id, StateRequest request, CancellationToken cancellationToken) => SetStateAsync(id, request, guard: null, cancellationToken);

    /// <inheritdoc />
    public async Task<FlowRunDto> SetStateAsync(Guid id, StateRequest request, Func<FlowRunDto, string?>? guard, CancellationToken cancellationToken)
    {
        CheckStateName(request.Name, "name");
        await WriteAsync(async (session, wake) =>
        {
            var run = await RunAsync(session, id, lockRow: true).ConfigureAwait(false) ?? throw new StoreException(404, $"There is no flow run {id}.", "id");
            if (guard?.Invoke(run) is { } refusal)
            {
                throw new StoreException(403, refusal, "id");
            }
            var verdict = Rules.Evaluate(new Transition(id, run.State, run.StateName ?? run.State.ToString(), request.Type, request.Expected, request.Retry));
            switch (verdict.Verdict)
            {
                case RuleVerdict.Reject:
                    throw new StoreException(409, verdict.Message!, verdict.Field);
                case RuleVerdict.Skip:
                    return 0;
            }

            await ApplyStateAsync(session, run, request.Type, request.Name, request.Message, Now, wake, retry: request.Retry).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return (await GetRunAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<FlowRunDto> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        await WriteAsync(async (session, wake) =>
        {
            var run = await RunAsync(session, id, lockRow: true).ConfigureAwait(false) ?? throw new StoreException(404, $"There is no flow run {id}.", "id");
            if (run.State.IsTerminal())
            {
                throw new StoreException(409, $"Flow run {id} already ended {run.State}; there is nothing to cancel.", "id");
            }

            await session.ExecuteAsync("UPDATE flow_runs SET cancel_requested = 1 WHERE id = @id", ("@id", id)).ConfigureAwait(false);
            if (run.State == StateType.Scheduled || run.Worker is null)
            {
                await ApplyStateAsync(session, run, StateType.Cancelled, null, "Cancelled before it started.", Now, wake).ConfigureAwait(false);
            }
            else if (run.State != StateType.Cancelling)
            {
                await ApplyStateAsync(session, run, StateType.Cancelling, null, $"Cancellation requested; worker {run.Worker} will stop it.", Now, wake).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return (await GetRunAsync(id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Records what code a run executed; a commit already pinned (a retry's) is kept when none is given.</summary>
    private static Task<int> SetProvenanceAsync(DbSession session, FlowRunDto run, RunProvenance provenance, DateTimeOffset now) =>
        session.ExecuteAsync("UPDATE flow_runs SET commit_sha = @commit, manifest_hash = @manifest, content_hash = @content, drift_warning = @drift, updated = @now WHERE id = @id",
            ("@commit", provenance.Commit ?? run.Commit), ("@manifest", provenance.ManifestHash), ("@content", provenance.ContentHash), ("@drift", provenance.DriftWarning), ("@now", now), ("@id", run.Id));

    /// <summary>Writes a state and its history row. A crash with retries left goes back to Scheduled (AwaitingRetry) after the run's retry delay.</summary>
    private async Task ApplyStateAsync(DbSession session, FlowRunDto run, StateType type, string? name, string? message, DateTimeOffset now, HashSet<string> wake, bool retry = false)
    {
        var stateName = name ?? type.ToString();
        var releaseWorker = type is StateType.Scheduled;
        // A run given back (or re-scheduled) is nobody's until it is claimed again: no worker key may report it meanwhile.
        await session.ExecuteAsync($"""
            UPDATE flow_runs SET state_type = @type, state_name = @name, state_message = @message, state_time = @now, updated = @now
                {(type is StateType.Running ? ", start_time = COALESCE(start_time, @now)" : string.Empty)}
                {(releaseWorker ? ", worker = NULL, claimed_by = NULL, expected_start = CASE WHEN expected_start < @now THEN @now ELSE expected_start END" : string.Empty)}
                {(retry ? ", cancel_requested = 0" : string.Empty)}
            WHERE id = @id
            """, ("@type", type), ("@name", stateName), ("@message", message), ("@now", now), ("@id", run.Id)).ConfigureAwait(false);
        await AddHistoryAsync(session, run.Id, type, stateName, message, now).ConfigureAwait(false);
        if (type.IsTerminal())
        {
            await EndOpenTaskRunsAsync(session, run.Id, type, now).ConfigureAwait(false);
        }

        if (type is StateType.Scheduled or StateType.Pending && run.WorkPool is { } pool)
        {
            wake.Add(pool);
        }

        if (type == StateType.Crashed && !run.CancelRequested && run.RunCount < run.Retries + 1 && run.WorkPool is { } retryPool)
        {
            var delay = await session.ScalarAsync("SELECT retry_delay FROM flow_runs WHERE id = @id", ("@id", run.Id)).ConfigureAwait(false);
            var start = now + TimeSpan.FromSeconds(Convert.ToDouble(delay, System.Globalization.CultureInfo.InvariantCulture));
            var retryMessage = $"Re-scheduled after the crash: attempt {run.RunCount + 1} of {run.Retries + 1}.";
            await session.ExecuteAsync("""
                UPDATE flow_runs SET state_type = 'Scheduled', state_name = 'AwaitingRetry', state_message = @message, state_time = @now, updated = @now,
                    worker = NULL, claimed_by = NULL, expected_start = @start
                WHERE id = @id
                """, ("@message", retryMessage), ("@now", now), ("@start", start), ("@id", run.Id)).ConfigureAwait(false);
            await AddHistoryAsync(session, run.Id, StateType.Scheduled, "AwaitingRetry", retryMessage, now).ConfigureAwait(false);
            wake.Add(retryPool);
        }
    }

    /// <summary>
    /// No task run outlives its flow run: when the flow run ends, its task runs still Pending, Running or Retrying
    /// (a killed flow process reports nothing more) end too, Crashed when it crashed and Cancelled otherwise, in the
    /// same transaction.
    /// </summary>
    private static async Task EndOpenTaskRunsAsync(DbSession session, Guid flowRunId, StateType flowState, DateTimeOffset now)
    {
        const string open = "flow_run_id = @run AND state_type IN ('Pending', 'Running', 'Retrying')";
        var end = flowState == StateType.Crashed ? StateType.Crashed : StateType.Cancelled;
        (string, object?)[] parameters = [("@run", flowRunId), ("@end", end), ("@message", $"Its flow run ended {flowState} before it finished."), ("@now", now)];
        await session.ExecuteAsync($"""
            INSERT INTO task_run_states (task_run_id, state_type, state_name, message, time)
            SELECT id, @end, @end, @message, @now FROM task_runs WHERE {open} ORDER BY created, id
            """, parameters).ConfigureAwait(false);
        await session.ExecuteAsync($"UPDATE task_runs SET state_type = @end, state_name = @end, state_message = @message, state_time = @now WHERE {open}", parameters).ConfigureAwait(false);
    }

    private static Task<int> AddHistoryAsync(DbSession session, Guid runId, StateType type, string name, string? message, DateTimeOffset time) =>
        session.ExecuteAsync("INSERT INTO flow_run_states (flow_run_id, state_type, state_name, message, time) VALUES (@run, @type, @name, @message, @time)",
            ("@run", runId), ("@type", type), ("@name", name), ("@message", message), ("@time", time));

    private static JsonObject MergeParameters(DeploymentDto deployment, JsonObject? overrides)
    {
        var parameters = (JsonObject)deployment.Parameters.DeepClone();
        if (overrides is null)
        {
            return parameters;
        }

        var names = deployment.Structure.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            if (names.Count > 0 && !names.Contains(key))
            {
                throw new StoreException(400, $"Flow '{deployment.FlowName}' has no parameter '{key}'; its parameters: {string.Join(", ", names)}.", "parameters." + key);
            }

            parameters[key] = value?.DeepClone();
        }

        return parameters;
    }

    private static void CheckStateName(string? name, string field)
    {
        if (name is not null && (name.Length is 0 or > 50 || name.Any(char.IsControl)))
        {
            throw new StoreException(400, $"A state name is 1 to 50 printable characters ('{field}').", field);
        }
    }

    private async Task<FlowRunDto?> RunAsync(DbSession session, Guid id, bool lockRow = false) =>
        await session.FirstAsync("SELECT * FROM flow_runs WHERE id = @id" + (lockRow ? Dialect.ForUpdate : string.Empty), ReadRun, ("@id", id)).ConfigureAwait(false);

    private static async Task<IReadOnlyList<FlowRunDto>> RunsByIdAsync(DbSession session, IReadOnlyList<Guid> ids)
    {
        var runs = new List<FlowRunDto>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            var (list, parameters) = InList("id", chunk);
            runs.AddRange(await session.QueryAsync($"SELECT * FROM flow_runs WHERE id IN {list}", ReadRun, parameters).ConfigureAwait(false));
        }

        var order = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        return [.. runs.OrderBy(r => order[r.Id])];
    }

    internal static FlowRunDto ReadRun(DbDataReader r) => new()
    {
        Id = r.Guid("id"),
        FlowName = r.Text("flow_name"),
        DeploymentId = r.GuidOrNull("deployment_id"),
        DeploymentName = r.TextOrNull("deployment_name"),
        Parameters = r.Object("parameters"),
        State = r.State("state_type"),
        StateName = r.Text("state_name"),
        StateMessage = r.TextOrNull("state_message"),
        StateTime = r.Time("state_time"),
        WorkPool = r.TextOrNull("work_pool"),
        Worker = r.TextOrNull("worker"),
        ClaimedBy = r.TextOrNull("claimed_by"),
        RunCount = r.Int("run_count"),
        Retries = r.Int("retries"),
        ExpectedStart = r.Time("expected_start"),
        StartTime = r.TimeOrNull("start_time"),
        ScheduledFor = r.TimeOrNull("scheduled_for"),
        Created = r.Time("created"),
        Commit = r.TextOrNull("commit_sha"),
        ManifestHash = r.TextOrNull("manifest_hash"),
        ContentHash = r.TextOrNull("content_hash"),
        DriftWarning = r.TextOrNull("drift_warning"),
        CancelRequested = r.Flag("cancel_requested"),
    };
}
