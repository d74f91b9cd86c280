namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <summary>The largest stored build accepted.</summary>
    public const int MaxBuildBytes = 64 * 1024 * 1024;

    /// <inheritdoc />
    public async Task<bool> PutBuildAsync(string id, byte[] content, CancellationToken cancellationToken)
    {
        CheckBuildId(id);
        if (content.Length == 0 || content.Length > MaxBuildBytes)
        {
            throw new StoreException(400, $"A stored build is 1 byte to {MaxBuildBytes / (1024 * 1024)} MiB (the request body); this one is {content.Length} bytes.", "body");
        }

        return await WriteAsync(async (session, _) =>
            await session.ExecuteAsync("INSERT INTO flow_builds (id, size, content, created) VALUES (@id, @size, @content, @now) ON CONFLICT (id) DO NOTHING",
                ("@id", id), ("@size", (long)content.Length), ("@content", content), ("@now", Now)).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<byte[]?> GetBuildAsync(string id, CancellationToken cancellationToken)
    {
        CheckBuildId(id);
        return ReadAsync(async s => await s.ScalarAsync("SELECT content FROM flow_builds WHERE id = @id", ("@id", id)).ConfigureAwait(false) as byte[], cancellationToken);
    }

    private static void CheckBuildId(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !id.All(char.IsAsciiLetterOrDigit))
        {
            throw new StoreException(400, $"'{Shorten(id ?? string.Empty)}' is not a build id ('id'): letters and digits, at most 128.", "id");
        }
    }
}
