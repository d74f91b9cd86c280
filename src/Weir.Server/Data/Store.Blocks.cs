using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Weir.Client;
using Weir.Server.Secrets;
using static Weir.Server.Data.Database;

namespace Weir.Server.Data;

internal sealed partial class Store
{
    public const string Mask = "********";

    /// <summary>Creates or replaces a block. Secret fields are stored encrypted, apart from the others.</summary>
    public async Task<BlockDto> PutBlockAsync(string type, string name, JsonObject fields)
    {
        var blockType = BlockTypes.Find(type) ?? throw new StoreException(400, $"There is no block type '{type}'. Block types: {string.Join(", ", BlockTypes.All.Select(b => b.Slug))}.", "type");
        CheckName(name, "name");
        foreach (var (key, value) in fields)
        {
            if (!blockType.Fields.Contains(key))
            {
                throw new StoreException(400, $"A {type} block has no field '{key}'; its fields: {string.Join(", ", blockType.Fields)}.", "fields." + key);
            }

            if (value is not null and not JsonValue)
            {
                throw new StoreException(400, $"The field '{key}' of a {type} block must be text.", "fields." + key);
            }
        }

        var plain = new JsonObject();
        var secret = new JsonObject();
        foreach (var (key, value) in fields)
        {
            (blockType.SecretFields.Contains(key) ? secret : plain)[key] = value?.DeepClone();
        }

        await Database.WriteAsync((c, t) =>
        {
            var now = Now;
            Execute(c, t, """
                INSERT INTO blocks (type, name, fields, secrets, created, updated) VALUES ($t, $n, $f, $s, $now, $now)
                ON CONFLICT (type, name) DO UPDATE SET fields = $f, secrets = $s, updated = $now
                """, ("$t", type), ("$n", name), ("$f", plain.ToJsonString()), ("$s", secrets.Encrypt(secret.ToJsonString())), ("$now", now));
            return Task.FromResult(0);
        }).ConfigureAwait(false);
        return (await GetBlockAsync(type, name, reveal: false).ConfigureAwait(false))!;
    }

    public Task<BlockDto?> GetBlockAsync(string type, string name, bool reveal) => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM blocks WHERE type = $t AND name = $n", ("$t", type), ("$n", name));
        return (await ListAsync(command, r => ReadBlock(r, reveal)).ConfigureAwait(false)).FirstOrDefault();
    });

    public Task<List<BlockDto>> ListBlocksAsync() => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM blocks ORDER BY type, name");
        return await ListAsync(command, r => ReadBlock(r, reveal: false)).ConfigureAwait(false);
    });

    public Task<bool> DeleteBlockAsync(string type, string name) => Database.WriteAsync(async (c, t) =>
    {
        using var command = Command(c, t, "DELETE FROM blocks WHERE type = $t AND name = $n", ("$t", type), ("$n", name));
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0;
    });

    public async Task<VariableDto> PutVariableAsync(string name, string value)
    {
        CheckName(name, "name");
        return await Database.WriteAsync((c, t) =>
        {
            var now = Now;
            Execute(c, t, "INSERT INTO variables (name, value, updated) VALUES ($n, $v, $now) ON CONFLICT (name) DO UPDATE SET value = $v, updated = $now", ("$n", name), ("$v", value), ("$now", now));
            return Task.FromResult(new VariableDto(name, value, now));
        }).ConfigureAwait(false);
    }

    public Task<List<VariableDto>> ListVariablesAsync() => Database.ReadAsync(async c =>
    {
        using var command = Command(c, null, "SELECT * FROM variables ORDER BY name");
        return await ListAsync(command, r => new VariableDto((string)r["name"], (string)r["value"], Time((string)r["updated"]))).ConfigureAwait(false);
    });

    public Task<List<WorkPoolDto>> ListPoolsAsync() => Database.ReadAsync(async c =>
    {
        using var workers = Command(c, null, "SELECT * FROM workers ORDER BY name");
        var all = await ListAsync(workers, r => ((string)r["pool"], new WorkerDto((string)r["name"], Time((string)r["last_heartbeat"])))).ConfigureAwait(false);
        using var pools = Command(c, null, "SELECT * FROM work_pools ORDER BY name");
        return await ListAsync(pools, r => new WorkPoolDto((string)r["name"], (string)r["type"], r["concurrency_limit"] is long l ? (int)l : null,
            [.. all.Where(w => w.Item1 == (string)r["name"]).Select(w => w.Item2)])).ConfigureAwait(false);
    });

    public async Task<WorkPoolDto> PutPoolAsync(string name, string type, int? limit)
    {
        CheckName(name, "name");
        if (type is not ("process" or "container"))
        {
            throw new StoreException(400, $"A work pool's type is process or container, not '{type}'.", "type");
        }

        await Database.WriteAsync((c, t) =>
        {
            Execute(c, t, "INSERT INTO work_pools (name, type, concurrency_limit, created) VALUES ($n, $t, $l, $now) ON CONFLICT (name) DO UPDATE SET type = $t, concurrency_limit = $l",
                ("$n", name), ("$t", type), ("$l", limit), ("$now", Now));
            return Task.FromResult(0);
        }).ConfigureAwait(false);
        return (await ListPoolsAsync().ConfigureAwait(false)).Single(p => p.Name == name);
    }

    private BlockDto ReadBlock(SqliteDataReader r, bool reveal)
    {
        var type = (string)r["type"];
        var secretFields = BlockTypes.Find(type)?.SecretFields ?? [];
        var fields = Object((string)r["fields"]);
        var secret = Text(r, "secrets") is { } encrypted ? Object(secrets.Decrypt(encrypted)) : [];
        foreach (var (key, value) in secret)
        {
            fields[key] = reveal ? value?.DeepClone() : Mask;
        }

        return new BlockDto(type, (string)r["name"], fields, [.. secretFields.Where(secret.ContainsKey)], Time((string)r["created"]), Time((string)r["updated"]));
    }

    private static void CheckName(string name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Any(ch => char.IsControl(ch) || ch is '/' or '.' or ' '))
        {
            throw new StoreException(400, $"'{name}' is not a valid name: use letters, digits, '-' and '_' (no dots, slashes or spaces).", field);
        }
    }
}
