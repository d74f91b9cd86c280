using System.Data.Common;
using Weir.Server.Rules;

namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <summary>The longest log message kept; longer ones are cut with a note.</summary>
    public const int MaxLogMessage = 64 * 1024;

    /// <inheritdoc />
    public Task<EventBatchResult> ApplyBatchAsync(EventBatch batch, CancellationToken cancellationToken) => ApplyBatchAsync(batch, guard: null, cancellationToken);

    /// <inheritdoc />
    public async Task<EventBatchResult> ApplyBatchAsync(EventBatch batch, Func<FlowRunDto, string?>? guard, CancellationToken cancellationToken)
    {
        ValidateBatch(batch);
        var refused = await WriteAsync(async (session, wake) =>
        {
            var now = Now;
            var flowRunIds = batch.TaskRuns.Select(t => t.FlowRunId).Concat(batch.Logs.Select(l => l.FlowRunId)).Concat(batch.FlowRunStates.Select(s => s.RunId))
                .Concat(batch.Provenance.Select(p => p.RunId)).Distinct().ToList();
            // The task runs whose states the batch reports and does not create: known, and (for the guard) whose flow runs they belong to.
            var created = new HashSet<Guid>(batch.TaskRuns.Select(t => t.Id));
            var earlier = new Dictionary<Guid, Guid>();
            // With a guard, task runs the batch creates are looked up too: an id another run's task run has must not let it write there.
            var lookUp = batch.TaskRunStates.Select(s => s.RunId).Where(id => !created.Contains(id)).Concat(guard is null ? [] : created).Distinct();
            foreach (var chunk in lookUp.Chunk(500))
            {
                var (list, parameters) = InList("t", chunk);
                foreach (var (task, flowRun) in await session.QueryAsync($"SELECT id, flow_run_id FROM task_runs WHERE id IN {list}", r => (r.Guid("id"), r.Guid("flow_run_id")), parameters).ConfigureAwait(false))
                {
                    earlier[task] = flowRun;
                }
            }

            var runs = (await RunsByIdAsync(session, [.. flowRunIds.Concat(guard is null ? [] : earlier.Values).Distinct()]).ConfigureAwait(false)).ToDictionary(r => r.Id);
            Missing(batch.TaskRuns.Select(t => t.FlowRunId), runs.Keys, "taskRuns", "flowRunId", "flow run");
            Missing(batch.Logs.Select(l => l.FlowRunId), runs.Keys, "logs", "flowRunId", "flow run");
            Missing(batch.FlowRunStates.Select(s => s.RunId), runs.Keys, "flowRunStates", "runId", "flow run");
            Missing(batch.Provenance.Select(p => p.RunId), runs.Keys, "provenance", "runId", "flow run");
            if (guard is not null)
            {
                // The whole batch is refused when the caller may not report one run in it: nothing of it is written.
                foreach (var run in runs.Values)
                {
                    if (guard(run) is { } refusal)
                    {
                        throw new StoreException(403, refusal + " Nothing in the batch was saved.", "flowRunId");
                    }
                }
            }
            foreach (var provenance in batch.Provenance)
            {
                await SetProvenanceAsync(session, runs[provenance.RunId], provenance, now).ConfigureAwait(false);
            }

            if (batch.TaskRuns.Count > 0)
            {
                await session.InsertRowsAsync("task_runs", ["id", "flow_run_id", "parent_id", "task_name", "task_key", "parameters", "state_type", "state_name", "state_time", "created"],
                    [.. batch.TaskRuns.Select(t => new object?[]
                    {
                        t.Id, t.FlowRunId, t.ParentTaskRunId, t.TaskName, t.TaskKey, t.Parameters.ToJsonString(), t.State, t.State.ToString(),
                        t.StateTime == default ? now : t.StateTime, now,
                    })], " ON CONFLICT (id) DO NOTHING").ConfigureAwait(false);
            }

            if (batch.TaskRunStates.Count > 0)
            {
                var known = new HashSet<Guid>(created);
                known.UnionWith(earlier.Keys);
                Missing(batch.TaskRunStates.Select(s => s.RunId), known, "taskRunStates", "runId", "task run");
                await session.InsertRowsAsync("task_run_states", ["task_run_id", "state_type", "state_name", "message", "time"],
                    [.. batch.TaskRunStates.Select(s => new object?[] { s.RunId, s.Type, s.Name ?? s.Type.ToString(), s.Message, s.Time })]).ConfigureAwait(false);
                var latest = batch.TaskRunStates.GroupBy(s => s.RunId).Select(g => g.Last()).ToList();
                await session.ExecuteManyAsync([.. latest.Select(s => (
                    "UPDATE task_runs SET state_type = @type, state_name = @name, state_message = @message, state_time = @time WHERE id = @id",
                    new (string, object?)[] { ("@type", s.Type), ("@name", s.Name ?? s.Type.ToString()), ("@message", s.Message), ("@time", s.Time), ("@id", s.RunId) }))]).ConfigureAwait(false);
            }

            var skipped = new List<string>();
            foreach (var state in batch.FlowRunStates)
            {
                var run = runs[state.RunId];
                var verdict = Rules.Evaluate(new Transition(run.Id, run.State, run.StateName ?? run.State.ToString(), state.Type, state.Expected, Retry: false));
                if (verdict.Verdict == RuleVerdict.Reject)
                {
                    skipped.Add(verdict.Message!);
                    continue;
                }

                if (verdict.Verdict == RuleVerdict.Skip)
                {
                    continue;
                }

                await ApplyStateAsync(session, run, state.Type, state.Name, state.Message, SqlDialect.Truncate(state.Time), wake).ConfigureAwait(false);
                runs[run.Id] = (await RunAsync(session, run.Id).ConfigureAwait(false))!;
            }

            // Task states reported after their flow run ended (by a process the server already gave up on) do not reopen a task run.
            foreach (var chunk in batch.TaskRunStates.Select(s => s.RunId).Distinct().Chunk(500))
            {
                var (list, parameters) = InList("e", chunk);
                var ended = await session.QueryAsync($"""
                    SELECT DISTINCT r.id, r.state_type FROM task_runs t JOIN flow_runs r ON r.id = t.flow_run_id
                    WHERE t.id IN {list} AND r.state_type IN ('Completed', 'Failed', 'Crashed', 'Cancelled')
                    """, r => (Id: r.Guid("id"), State: r.State("state_type")), parameters).ConfigureAwait(false);
                foreach (var (id, state) in ended)
                {
                    await EndOpenTaskRunsAsync(session, id, state, now).ConfigureAwait(false);
                }
            }

            if (batch.Logs.Count > 0)
            {
                await session.InsertRowsAsync("logs", ["flow_run_id", "task_run_id", "time", "level", "source", "message"],
                    [.. batch.Logs.Select(l => new object?[]
                    {
                        l.FlowRunId, l.TaskRunId, l.Time == default ? now : l.Time, l.Level.ToUpperInvariant(), l.Source,
                        l.Message.Length > MaxLogMessage ? l.Message[..MaxLogMessage] + $" … ({l.Message.Length - MaxLogMessage} more characters cut)" : l.Message,
                    })]).ConfigureAwait(false);
            }

            return skipped;
        }, cancellationToken).ConfigureAwait(false);
        return new EventBatchResult(refused);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LogDto>> LogsAsync(Guid flowRunId, long after, int limit, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<LogDto>>(async s =>
        await s.QueryAsync("""
            SELECT l.*, t.task_key FROM logs l LEFT JOIN task_runs t ON t.id = l.task_run_id
            WHERE l.flow_run_id = @run AND l.id > @after ORDER BY l.id LIMIT @limit
            """, r => new LogDto(
            r.Long("id"), r.Guid("flow_run_id"), r.GuidOrNull("task_run_id"), r.Time("time"), r.Text("level"), r.Text("source"), r.Text("message"))
            {
                TaskKey = r.TextOrNull("task_key"),
            },
            ("@run", flowRunId), ("@after", after), ("@limit", Math.Clamp(limit, 1, 10_000))).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskRunDto>> TaskRunsAsync(Guid flowRunId, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<TaskRunDto>>(async s =>
        await s.QueryAsync("SELECT * FROM task_runs WHERE flow_run_id = @run ORDER BY created, id", ReadTaskRun, ("@run", flowRunId)).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunStateEvent>> TaskRunHistoryAsync(Guid taskRunId, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<RunStateEvent>>(async s =>
        await s.QueryAsync("SELECT * FROM task_run_states WHERE task_run_id = @id ORDER BY id", r =>
            new RunStateEvent(taskRunId, r.State("state_type"), r.TextOrNull("message"), r.Time("time"), null, r.Text("state_name")), ("@id", taskRunId)).ConfigureAwait(false),
        cancellationToken);

    /// <summary>Checks the whole batch before anything is written: a bad item refuses the batch (400) and names it.</summary>
    private static void ValidateBatch(EventBatch batch)
    {
        for (var i = 0; i < batch.TaskRuns.Count; i++)
        {
            var task = batch.TaskRuns[i];
            Require(task.Id != Guid.Empty, $"taskRuns[{i}].id", "a task run id");
            Require(task.FlowRunId != Guid.Empty, $"taskRuns[{i}].flowRunId", "the task run's flow run id");
            Require(!string.IsNullOrWhiteSpace(task.TaskName) && task.TaskName.Length <= MaxNameLength, $"taskRuns[{i}].taskName", $"a task name of 1 to {MaxNameLength} characters");
            Require(!string.IsNullOrWhiteSpace(task.TaskKey) && task.TaskKey.Length <= MaxNameLength + 20, $"taskRuns[{i}].taskKey", "a task key");
        }

        for (var i = 0; i < batch.Provenance.Count; i++)
        {
            Require(batch.Provenance[i].RunId != Guid.Empty, $"provenance[{i}].runId", "the flow run id of the provenance");
        }

        Check(batch.TaskRunStates, "taskRunStates");
        Check(batch.FlowRunStates, "flowRunStates");
        for (var i = 0; i < batch.Logs.Count; i++)
        {
            var log = batch.Logs[i];
            Require(log.FlowRunId != Guid.Empty, $"logs[{i}].flowRunId", "the log line's flow run id");
            Require(log.Message is not null, $"logs[{i}].message", "a message");
            Require(log.Level is not null && LogDto.Levels.Contains(log.Level.ToUpperInvariant()), $"logs[{i}].level", $"a level, one of {string.Join(", ", LogDto.Levels)}");
            Require(!string.IsNullOrEmpty(log.Source) && log.Source.Length <= MaxNameLength, $"logs[{i}].source", "a source (logger category, stdout or stderr)");
        }

        static void Check(List<RunStateEvent> states, string list)
        {
            for (var i = 0; i < states.Count; i++)
            {
                Require(states[i].RunId != Guid.Empty, $"{list}[{i}].runId", "a run id");
                Require(states[i].Time != default, $"{list}[{i}].time", "the time of the state");
                Require(states[i].Name is null || states[i].Name!.Length is > 0 and <= 50, $"{list}[{i}].name", "a state name of 1 to 50 characters");
            }
        }

        static void Require(bool ok, string field, string what)
        {
            if (!ok)
            {
                throw new StoreException(400, $"The batch needs {what} at '{field}'; nothing in it was saved.", field);
            }
        }
    }

    private static void Missing(IEnumerable<Guid> ids, ICollection<Guid> known, string list, string field, string what)
    {
        var index = 0;
        foreach (var id in ids)
        {
            if (!known.Contains(id))
            {
                throw new StoreException(400, $"There is no {what} {id} ('{list}[{index}].{field}'); nothing in the batch was saved.", $"{list}[{index}].{field}");
            }

            index++;
        }
    }

    private static TaskRunDto ReadTaskRun(DbDataReader r) => new()
    {
        Id = r.Guid("id"),
        FlowRunId = r.Guid("flow_run_id"),
        ParentTaskRunId = r.GuidOrNull("parent_id"),
        TaskName = r.Text("task_name"),
        TaskKey = r.Text("task_key"),
        Parameters = r.Object("parameters"),
        State = r.State("state_type"),
        StateMessage = r.TextOrNull("state_message"),
        StateTime = r.Time("state_time"),
    };
}
