using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Weir.Client;
using static Weir.Server.Data.Database;

namespace Weir.Server.Data;

internal sealed partial class Store
{
    /// <summary>Applies an engine's batch in one transaction. A flow-run state the rules refuse is skipped and reported in the answer; the rest still applies.</summary>
    public async Task<List<string>> ApplyBatchAsync(EventBatch batch)
    {
        var (refused, pools) = await Database.WriteAsync(async (c, t) =>
        {
            var skipped = new List<string>();
            var wake = new List<string>();
            foreach (var task in batch.TaskRuns)
            {
                Execute(c, t, """
                    INSERT INTO task_runs (id, flow_run_id, parent_id, task_name, task_key, parameters, state, state_time)
                    VALUES ($id, $f, $p, $n, $k, $params, 'Pending', $now) ON CONFLICT (id) DO NOTHING
                    """, ("$id", task.Id), ("$f", task.FlowRunId), ("$p", task.ParentTaskRunId), ("$n", task.TaskName), ("$k", task.TaskKey),
                    ("$params", task.Parameters.ToJsonString()), ("$now", task.StateTime == default ? Now : task.StateTime));
            }

            foreach (var state in batch.TaskRunStates)
            {
                Execute(c, t, "UPDATE task_runs SET state = $s, state_message = $m, state_time = $time WHERE id = $id",
                    ("$s", state.Type.ToString()), ("$m", state.Message), ("$time", state.Time), ("$id", state.RunId));
                Execute(c, t, "INSERT INTO task_run_states (task_run_id, state, message, time) VALUES ($id, $s, $m, $time)",
                    ("$id", state.RunId), ("$s", state.Type.ToString()), ("$m", state.Message), ("$time", state.Time));
            }

            foreach (var state in batch.FlowRunStates)
            {
                var run = await RunAsync(c, t, state.RunId).ConfigureAwait(false);
                if (run is null || !StateRules.IsAllowed(run.State, state.Type))
                {
                    skipped.Add($"flow run {state.RunId}: {(run is null ? "unknown" : $"{run.State} cannot become {state.Type}")}");
                    continue;
                }

                if (ApplyState(c, t, run, state.Type, state.Message, state.Time) is { } pool)
                {
                    wake.Add(pool);
                }
            }

            foreach (var log in batch.Logs)
            {
                Execute(c, t, "INSERT INTO logs (flow_run_id, task_run_id, time, level, source, message) VALUES ($f, $t, $time, $l, $s, $m)",
                    ("$f", log.FlowRunId), ("$t", log.TaskRunId), ("$time", log.Time), ("$l", log.Level), ("$s", log.Source), ("$m", log.Message));
            }

            return (skipped, wake);
        }).ConfigureAwait(false);
        foreach (var pool in pools.Distinct())
        {
            signals.Signal(pool);
        }

        return refused;
    }

    public Task<List<LogDto>> LogsAsync(Guid flowRun, long after, int limit) => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM logs WHERE flow_run_id = $f AND id > $after ORDER BY id LIMIT $limit", ("$f", flowRun), ("$after", after), ("$limit", limit));
        return await ListAsync(command, r => new LogDto(
            (long)r["id"], Guid.Parse((string)r["flow_run_id"]), Text(r, "task_run_id") is { } task ? Guid.Parse(task) : null,
            Time((string)r["time"]), (string)r["level"], (string)r["source"], (string)r["message"])).ConfigureAwait(false);
    });

    public Task<List<TaskRunDto>> TaskRunsAsync(Guid flowRun) => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM task_runs WHERE flow_run_id = $f ORDER BY state_time, id", ("$f", flowRun));
        return await ListAsync(command, ReadTaskRun).ConfigureAwait(false);
    });

    private static TaskRunDto ReadTaskRun(SqliteDataReader r) => new()
    {
        Id = Guid.Parse((string)r["id"]),
        FlowRunId = Guid.Parse((string)r["flow_run_id"]),
        ParentTaskRunId = Text(r, "parent_id") is { } p ? Guid.Parse(p) : null,
        TaskName = (string)r["task_name"],
        TaskKey = (string)r["task_key"],
        Parameters = JsonNode.Parse((string)r["parameters"]) as JsonObject ?? [],
        State = Enum.Parse<StateType>((string)r["state"]),
        StateMessage = Text(r, "state_message"),
        StateTime = Time((string)r["state_time"]),
    };
}
