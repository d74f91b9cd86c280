using System.Data.Common;
using System.Text.Json.Nodes;
using Weir.Server.Secrets;

namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <summary>What a secret field reads as unless revealed.</summary>
    public const string Mask = "********";

    /// <summary>The longest field value kept (a service-account JSON or an SSH key fits).</summary>
    public const int MaxFieldValue = 64 * 1024;

    /// <inheritdoc />
    public async Task<BlockDto> PutBlockAsync(string type, string name, JsonObject fields, CancellationToken cancellationToken)
    {
        var blockType = BlockTypes.Find(type)
            ?? throw new StoreException(400, $"There is no block type '{Shorten(type)}' ('type'); block types: {string.Join(", ", BlockTypes.All.Select(b => b.Slug))}.", "type");
        CheckName(name, "name", "block name");
        foreach (var (key, value) in fields)
        {
            if (!blockType.Fields.Contains(key))
            {
                throw new StoreException(400, $"A {type} block has no field '{Shorten(key)}' ('fields.{Shorten(key)}'); its fields: {string.Join(", ", blockType.Fields)}.", "fields." + key);
            }

            if (value is not null and not JsonValue)
            {
                throw new StoreException(400, $"The field '{key}' of a {type} block is a text, number or true/false value ('fields.{key}').", "fields." + key);
            }

            if (value?.ToJsonString().Length > MaxFieldValue)
            {
                throw new StoreException(400, $"The field '{key}' of a {type} block is longer than {MaxFieldValue / 1024} KiB ('fields.{key}').", "fields." + key);
            }
        }

        var plain = new JsonObject();
        var secret = new JsonObject();
        foreach (var (key, value) in fields)
        {
            (blockType.SecretFields.Contains(key) ? secret : plain)[key] = value?.DeepClone();
        }

        await WriteAsync(async (session, _) =>
        {
            var now = Now;
            await session.ExecuteAsync("""
                INSERT INTO block_documents (block_type, name, fields, secrets, created, updated) VALUES (@type, @name, @fields, @secrets, @now, @now)
                ON CONFLICT (block_type, name) DO UPDATE SET fields = excluded.fields, secrets = excluded.secrets, updated = excluded.updated
                """, ("@type", type), ("@name", name), ("@fields", plain.ToJsonString()),
                ("@secrets", secret.Count == 0 ? null : secrets.Encrypt(secret.ToJsonString(), SecretBox.Context(type, name))), ("@now", now)).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return (await GetBlockAsync(type, name, reveal: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public Task<BlockDto?> GetBlockAsync(string type, string name, bool reveal, CancellationToken cancellationToken) =>
        ReadAsync(s => s.FirstAsync("SELECT * FROM block_documents WHERE block_type = @type AND name = @name", r => ReadBlock(r, reveal), ("@type", type), ("@name", name)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<BlockDto>> ListBlocksAsync(string? type, CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<BlockDto>>(async s =>
        type is null
            ? await s.QueryAsync("SELECT * FROM block_documents ORDER BY block_type, name", r => ReadBlock(r, reveal: false)).ConfigureAwait(false)
            : await s.QueryAsync("SELECT * FROM block_documents WHERE block_type = @type ORDER BY name", r => ReadBlock(r, reveal: false), ("@type", type)).ConfigureAwait(false),
        cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteBlockAsync(string type, string name, CancellationToken cancellationToken) =>
        WriteAsync(async (session, _) =>
            await session.ExecuteAsync("DELETE FROM block_documents WHERE block_type = @type AND name = @name", ("@type", type), ("@name", name)).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<BlockTypeDto>> ListBlockTypesAsync(CancellationToken cancellationToken) => ReadAsync<IReadOnlyList<BlockTypeDto>>(async s =>
        await s.QueryAsync("SELECT * FROM block_types ORDER BY slug", r =>
            new BlockTypeDto(r.Text("slug"), r.Text("description"), FromJson<List<string>>(r.Text("fields")), FromJson<List<string>>(r.Text("secret_fields")))).ConfigureAwait(false),
        cancellationToken);

    private Task SeedBlockTypesAsync(CancellationToken cancellationToken) => WriteAsync(async (session, _) =>
    {
        foreach (var type in BlockTypes.All)
        {
            await session.ExecuteAsync("""
                INSERT INTO block_types (slug, description, fields, secret_fields) VALUES (@slug, @description, @fields, @secrets)
                ON CONFLICT (slug) DO UPDATE SET description = excluded.description, fields = excluded.fields, secret_fields = excluded.secret_fields
                """, ("@slug", type.Slug), ("@description", type.Description), ("@fields", Json(type.Fields)), ("@secrets", Json(type.SecretFields))).ConfigureAwait(false);
        }

        return 0;
    }, cancellationToken);

    private BlockDto ReadBlock(DbDataReader r, bool reveal)
    {
        var type = r.Text("block_type");
        var name = r.Text("name");
        var fields = r.Object("fields");
        var secret = r.TextOrNull("secrets") is { } encrypted ? JsonNode.Parse(secrets.Decrypt(encrypted, SecretBox.Context(type, name))) as JsonObject ?? [] : [];
        foreach (var (key, value) in secret)
        {
            fields[key] = reveal ? value?.DeepClone() : Mask;
        }

        var secretFields = BlockTypes.Find(type)?.SecretFields ?? [];
        return new BlockDto(type, name, fields, [.. secretFields.Where(secret.ContainsKey)], r.Time("created"), r.Time("updated"));
    }
}
