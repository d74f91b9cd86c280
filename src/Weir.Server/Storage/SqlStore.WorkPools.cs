using System.Text.Json.Nodes;

namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <inheritdoc />
    public async Task<WorkPoolDto> PutPoolAsync(string name, string type, int? concurrencyLimit, bool? paused, JsonObject? baseJobTemplate, CancellationToken cancellationToken)
    {
        CheckName(name, "name", "work pool name");
        if (!WorkPoolTypes.IsKnown(type))
        {
            throw new StoreException(400, $"A work pool's type is one of {string.Join(", ", WorkPoolTypes.All.Select(t => $"'{t}'"))}, not '{Shorten(type)}' ('type').", "type");
        }

        if (concurrencyLimit is < 0)
        {
            throw new StoreException(400, $"A concurrency limit is 0 or more, or absent for none ('concurrencyLimit'), not {concurrencyLimit}.", "concurrencyLimit");
        }

        await WriteAsync(async (session, wake) =>
        {
            var now = Now;
            await session.ExecuteAsync("""
                INSERT INTO work_pools (name, type, concurrency_limit, paused, base_job_template, created, updated) VALUES (@name, @type, @limit, @paused, @template, @now, @now)
                ON CONFLICT (name) DO UPDATE SET type = excluded.type, concurrency_limit = excluded.concurrency_limit, paused = excluded.paused,
                    base_job_template = COALESCE(excluded.base_job_template, work_pools.base_job_template), updated = excluded.updated
                """, ("@name", name), ("@type", type), ("@limit", concurrencyLimit), ("@paused", paused ?? false), ("@template", baseJobTemplate?.ToJsonString()), ("@now", now)).ConfigureAwait(false);
            wake.Add(name); // a resumed pool or a raised limit may let waiting claimers take runs now
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return (await GetPoolAsync(name, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<WorkPoolDto?> GetPoolAsync(string name, CancellationToken cancellationToken) =>
        (await ListPoolsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Name == name);

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkPoolDto>> ListPoolsAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<WorkPoolDto>>(async s =>
    {
        var workers = await s.QueryAsync("SELECT * FROM workers ORDER BY name", r => (Pool: r.Text("pool"), Worker: new WorkerDto(r.Text("name"), r.Time("last_heartbeat")))).ConfigureAwait(false);
        return await s.QueryAsync("SELECT * FROM work_pools ORDER BY name", r =>
        {
            var name = r.Text("name");
            return new WorkPoolDto(name, r.Text("type"), r.IntOrNull("concurrency_limit"), [.. workers.Where(w => w.Pool == name).Select(w => w.Worker)], r.Flag("paused"),
                r.TextOrNull("base_job_template") is { } template ? JsonNode.Parse(template) as JsonObject : null);
        }).ConfigureAwait(false);
    }, cancellationToken);

    private static Task<int> EnsurePoolAsync(DbSession session, string pool, DateTimeOffset now) =>
        session.ExecuteAsync("INSERT INTO work_pools (name, type, paused, created, updated) VALUES (@name, 'process', 0, @now, @now) ON CONFLICT (name) DO NOTHING",
            ("@name", pool), ("@now", now));
}
