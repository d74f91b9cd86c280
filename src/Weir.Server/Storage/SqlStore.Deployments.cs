using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server.Secrets;
using Weir.Server.Services;

namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <inheritdoc />
    public async Task<DeploymentResult> UpsertDeploymentAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        ValidateDeployment(request);
        var structure = request.Structure.ToJson();
        var structureHash = request.Structure.Hash;
        var parameterSchema = System.Text.Json.JsonSerializer.Serialize(request.Structure.Parameters, ApiJson.Options);
        var schedules = Json(request.Schedules);
        var blocks = request.Blocks.Select(b => BlockReference.Parse(b)!.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return await WriteAsync(async (session, wake) =>
        {
            var now = Now;
            var existing = await session.FirstAsync("SELECT id, version, version_key, schedules FROM deployments WHERE flow_name = @flow AND name = @name" + Dialect.ForUpdate,
                r => new ExistingDeployment(r.Guid("id"), r.Int("version"), r.Text("version_key"), r.Text("schedules")),
                ("@flow", request.FlowName), ("@name", request.Name)).ConfigureAwait(false);
            var changed = existing is not null && existing.VersionKey != request.VersionKey;
            var id = existing?.Id ?? Guid.CreateVersion7(now);
            var version = existing is null ? 1 : existing.Version + (changed ? 1 : 0);
            await session.ExecuteAsync("INSERT INTO flows (name, created) VALUES (@flow, @now) ON CONFLICT (name) DO NOTHING", ("@flow", request.FlowName), ("@now", now)).ConfigureAwait(false);
            await EnsurePoolAsync(session, request.WorkPool, now).ConfigureAwait(false);
            await session.ExecuteAsync("""
                INSERT INTO deployments (id, flow_name, name, entrypoint, pull_steps, structure, structure_hash, parameter_schema, parameters, work_pool, job_variables,
                    schedules, tags, blocks, description, retries, retry_delay, version, version_key, build_id, created, updated)
                VALUES (@id, @flow, @name, @entrypoint, @pull, @structure, @hash, @schema, @parameters, @pool, @jobVariables,
                    @schedules, @tags, @blocks, @description, @retries, @retryDelay, @version, @versionKey, @buildId, @now, @now)
                ON CONFLICT (flow_name, name) DO UPDATE SET entrypoint = excluded.entrypoint, pull_steps = excluded.pull_steps, structure = excluded.structure,
                    structure_hash = excluded.structure_hash, parameter_schema = excluded.parameter_schema, parameters = excluded.parameters, work_pool = excluded.work_pool,
                    job_variables = excluded.job_variables, schedules = excluded.schedules, tags = excluded.tags, blocks = excluded.blocks, description = excluded.description,
                    retries = excluded.retries, retry_delay = excluded.retry_delay, version = excluded.version, version_key = excluded.version_key, build_id = excluded.build_id, updated = excluded.updated
                """,
                ("@id", id), ("@flow", request.FlowName), ("@name", request.Name), ("@entrypoint", request.Entrypoint), ("@pull", request.PullSteps.ToJsonString()),
                ("@structure", structure), ("@hash", structureHash), ("@schema", parameterSchema), ("@parameters", request.Parameters.ToJsonString()),
                ("@pool", request.WorkPool), ("@jobVariables", request.JobVariables?.ToJsonString()), ("@schedules", schedules), ("@tags", Json(request.Tags)), ("@blocks", Json(blocks)),
                ("@description", request.Description), ("@retries", request.Retries), ("@retryDelay", request.RetryDelaySeconds), ("@version", version),
                ("@versionKey", request.VersionKey), ("@buildId", request.BuildId), ("@now", now)).ConfigureAwait(false);
            if (existing is not null && existing.Schedules != schedules)
            {
                // Runs created ahead by the old schedules go; the scheduler creates the new ones.
                const string stale = "deployment_id = @id AND scheduled_for IS NOT NULL AND state_type = 'Scheduled' AND run_count = 0";
                await session.ExecuteAsync($"DELETE FROM flow_run_states WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE {stale})", ("@id", id)).ConfigureAwait(false);
                await session.ExecuteAsync($"DELETE FROM flow_runs WHERE {stale}", ("@id", id)).ConfigureAwait(false);
            }

            var saved = (await DeploymentAsync(session, "id = @id", ("@id", id)).ConfigureAwait(false))!;
            return new DeploymentResult(saved, existing is null, changed);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<DeploymentDto?> GetDeploymentAsync(string flow, string name, CancellationToken cancellationToken) =>
        ReadAsync(s => DeploymentAsync(s, "flow_name = @flow AND name = @name", ("@flow", flow), ("@name", name)), cancellationToken);

    /// <inheritdoc />
    public Task<DeploymentDto?> GetDeploymentAsync(Guid id, CancellationToken cancellationToken) =>
        ReadAsync(s => DeploymentAsync(s, "id = @id", ("@id", id)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentDto>> ListDeploymentsAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<DeploymentDto>>(async s =>
        await s.QueryAsync("SELECT * FROM deployments ORDER BY flow_name, name", ReadDeployment).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteDeploymentAsync(string flow, string name, CancellationToken cancellationToken) =>
        await WriteAsync(async (session, _) =>
        {
            var id = DbRead.ToGuid(await session.ScalarAsync("SELECT id FROM deployments WHERE flow_name = @flow AND name = @name", ("@flow", flow), ("@name", name)).ConfigureAwait(false));
            if (id is null)
            {
                return false;
            }

            // Runs that have not started go with it; the others stay as history.
            await session.ExecuteAsync("DELETE FROM flow_run_states WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE deployment_id = @id AND state_type = 'Scheduled')", ("@id", id)).ConfigureAwait(false);
            await session.ExecuteAsync("DELETE FROM flow_runs WHERE deployment_id = @id AND state_type = 'Scheduled'", ("@id", id)).ConfigureAwait(false);
            await session.ExecuteAsync("DELETE FROM deployments WHERE id = @id", ("@id", id)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<IReadOnlyList<FlowDto>> ListFlowsAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<FlowDto>>(async s =>
        await s.QueryAsync("SELECT * FROM flows ORDER BY name", r => new FlowDto(r.Text("name"), r.Time("created"))).ConfigureAwait(false), cancellationToken);

    private static void ValidateDeployment(DeploymentRequest request)
    {
        CheckName(request.FlowName, "flowName", "flow name");
        CheckName(request.Name, "name", "deployment name");
        CheckName(request.WorkPool, "workPool", "work pool name");
        if (string.IsNullOrWhiteSpace(request.Entrypoint) || !request.Entrypoint.Contains(':', StringComparison.Ordinal))
        {
            throw new StoreException(400, $"The entrypoint '{request.Entrypoint}' is not path/in/repo/file.cs:flow-name ('entrypoint').", "entrypoint");
        }

        if (string.IsNullOrWhiteSpace(request.VersionKey))
        {
            throw new StoreException(400, "The request needs a version key, a hash of pull steps, entrypoint and structure ('versionKey').", "versionKey");
        }

        if (request.BuildId is { } buildId && (buildId.Length is 0 or > 128 || !buildId.All(char.IsAsciiLetterOrDigit)))
        {
            throw new StoreException(400, "The build id is letters and digits, at most 128 ('buildId').", "buildId");
        }

        if (request.Retries is < 0 or > 100)
        {
            throw new StoreException(400, $"Retries are 0 to 100 ('retries'), not {request.Retries}.", "retries");
        }

        if (!double.IsFinite(request.RetryDelaySeconds) || request.RetryDelaySeconds < 0)
        {
            throw new StoreException(400, "The retry delay is a number of seconds, 0 or more ('retryDelaySeconds').", "retryDelaySeconds");
        }

        for (var i = 0; i < request.Schedules.Count; i++)
        {
            ScheduleMath.Validate(request.Schedules[i], $"schedules[{i}]");
        }

        for (var i = 0; i < request.Blocks.Count; i++)
        {
            var field = $"blocks[{i}]";
            var block = BlockReference.Parse(request.Blocks[i])
                ?? throw new StoreException(400, $"A deployment's blocks are TYPE/NAME (or NAME for a secret block), not '{Shorten(request.Blocks[i] ?? string.Empty)}' ('{field}').", field);
            if (BlockTypes.Find(block.Type) is null)
            {
                throw new StoreException(400, $"There is no block type '{Shorten(block.Type)}' ('{field}'); block types: {string.Join(", ", BlockTypes.All.Select(b => b.Slug))}.", field);
            }

            CheckName(block.Name, field, "block name");
        }

        for (var i = 0; i < request.Tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(request.Tags[i]) || request.Tags[i].Length > MaxNameLength)
            {
                throw new StoreException(400, $"A tag is 1 to {MaxNameLength} characters ('tags[{i}]').", $"tags[{i}]");
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentDto>> DeploymentsClaimedByAsync(string workerKey, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<DeploymentDto>>(async s =>
        await s.QueryAsync($"SELECT * FROM deployments WHERE id IN (SELECT deployment_id FROM flow_runs WHERE claimed_by = @key AND state_type IN {ActiveStates})",
            ReadDeployment, ("@key", workerKey)).ConfigureAwait(false), cancellationToken);

    private static async Task<DeploymentDto?> DeploymentAsync(DbSession session, string where, params (string, object?)[] parameters) =>
        await session.FirstAsync("SELECT * FROM deployments WHERE " + where, ReadDeployment, parameters).ConfigureAwait(false);

    private static DeploymentDto ReadDeployment(DbDataReader r) => new()
    {
        Id = r.Guid("id"),
        FlowName = r.Text("flow_name"),
        Name = r.Text("name"),
        Entrypoint = r.Text("entrypoint"),
        PullSteps = r.Array("pull_steps"),
        Structure = FlowStructure.FromJson(r.Text("structure")),
        Parameters = r.Object("parameters"),
        WorkPool = r.Text("work_pool"),
        JobVariables = r.TextOrNull("job_variables") is { } jobVariables ? JsonNode.Parse(jobVariables) as JsonObject : null,
        Schedules = FromJson<List<ScheduleDto>>(r.Text("schedules")),
        Tags = FromJson<List<string>>(r.Text("tags")),
        Blocks = FromJson<List<string>>(r.Text("blocks")),
        Description = r.TextOrNull("description"),
        Retries = r.Int("retries"),
        RetryDelaySeconds = r.Double("retry_delay"),
        Version = r.Int("version"),
        BuildId = r.TextOrNull("build_id"),
        Created = r.Time("created"),
        Updated = r.Time("updated"),
    };

    private sealed record ExistingDeployment(Guid Id, int Version, string VersionKey, string Schedules);
}
