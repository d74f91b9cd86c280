using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Weir.Client;
using static Weir.Server.Data.Database;

namespace Weir.Server.Data;

internal sealed partial class Store
{
    public Task<DeploymentResult> UpsertDeploymentAsync(DeploymentRequest request) => Database.WriteAsync(async (c, t) =>
    {
        var existing = await DeploymentAsync(c, t, "flow_name = $f AND name = $n", ("$f", request.FlowName), ("$n", request.Name)).ConfigureAwait(false);
        var now = Now;
        var versionKey = existing is null ? null : await ScalarAsync(c, t, "SELECT version_key FROM deployments WHERE id = $id", existing.Id).ConfigureAwait(false);
        var changed = existing is not null && versionKey != request.VersionKey;
        var id = existing?.Id ?? Guid.CreateVersion7(now);
        var version = existing is null ? 1 : existing.Version + (changed ? 1 : 0);
        Execute(c, t, """
            INSERT INTO deployments (id, flow_name, name, entrypoint, pull_steps, structure, parameters, work_pool, job_variables, schedules, tags, description, retries, retry_delay, version, version_key, created, updated)
            VALUES ($id, $f, $n, $e, $pull, $s, $p, $pool, $jv, $sch, $tags, $d, $r, $rd, $v, $vk, $now, $now)
            ON CONFLICT (flow_name, name) DO UPDATE SET entrypoint = $e, pull_steps = $pull, structure = $s, parameters = $p, work_pool = $pool,
                job_variables = $jv, schedules = $sch, tags = $tags, description = $d, retries = $r, retry_delay = $rd, version = $v, version_key = $vk, updated = $now
            """,
            ("$id", id), ("$f", request.FlowName), ("$n", request.Name), ("$e", request.Entrypoint), ("$pull", request.PullSteps.ToJsonString()),
            ("$s", request.Structure.ToJsonString()), ("$p", request.Parameters.ToJsonString()), ("$pool", request.WorkPool), ("$jv", request.JobVariables?.ToJsonString()),
            ("$sch", Json(request.Schedules)), ("$tags", Json(request.Tags)), ("$d", request.Description), ("$r", request.Retries), ("$rd", request.RetryDelaySeconds),
            ("$v", version), ("$vk", request.VersionKey), ("$now", now));
        EnsurePool(c, t, request.WorkPool, now);
        var saved = (await DeploymentAsync(c, t, "id = $id", ("$id", id)).ConfigureAwait(false))!;
        return new DeploymentResult(saved, existing is null, changed);
    });

    public Task<DeploymentDto?> GetDeploymentAsync(string flow, string name) =>
        Database.ReadAsync(c => DeploymentAsync(c, null, "flow_name = $f AND name = $n", ("$f", flow), ("$n", name)));

    public Task<List<DeploymentDto>> ListDeploymentsAsync() => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM deployments ORDER BY flow_name, name");
        return await ListAsync(command, ReadDeployment).ConfigureAwait(false);
    });

    private static async Task<DeploymentDto?> DeploymentAsync(SqliteConnection c, SqliteTransaction? t, string where, params (string, object?)[] parameters)
    {
        using var command = Command(c, t, "SELECT * FROM deployments WHERE " + where, parameters);
        return (await ListAsync(command, ReadDeployment).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<string?> ScalarAsync(SqliteConnection c, SqliteTransaction? t, string sql, Guid id)
    {
        using var command = Command(c, t, sql, ("$id", id));
        return await command.ExecuteScalarAsync().ConfigureAwait(false) as string;
    }

    private static void EnsurePool(SqliteConnection c, SqliteTransaction t, string pool, DateTimeOffset now) =>
        Execute(c, t, "INSERT INTO work_pools (name, type, created) VALUES ($n, 'process', $now) ON CONFLICT (name) DO NOTHING", ("$n", pool), ("$now", now));

    private static DeploymentDto ReadDeployment(SqliteDataReader r) => new()
    {
        Id = Guid.Parse((string)r["id"]),
        FlowName = (string)r["flow_name"],
        Name = (string)r["name"],
        Entrypoint = (string)r["entrypoint"],
        PullSteps = JsonNode.Parse((string)r["pull_steps"]) as JsonArray ?? [],
        Structure = Object((string)r["structure"]),
        Parameters = Object((string)r["parameters"]),
        WorkPool = (string)r["work_pool"],
        JobVariables = Text(r, "job_variables") is { } jv ? Object(jv) : null,
        Schedules = FromJson<List<ScheduleDto>>((string)r["schedules"]),
        Tags = FromJson<List<string>>((string)r["tags"]),
        Description = Text(r, "description"),
        Retries = Convert.ToInt32(r["retries"], System.Globalization.CultureInfo.InvariantCulture),
        RetryDelaySeconds = Convert.ToDouble(r["retry_delay"], System.Globalization.CultureInfo.InvariantCulture),
        Version = Convert.ToInt32(r["version"], System.Globalization.CultureInfo.InvariantCulture),
        Created = Time((string)r["created"]),
        Updated = Time((string)r["updated"]),
    };
}
