namespace Weir.Server.Storage;

internal sealed partial class SqlStore
{
    /// <summary>A session's last use is written at most this often, so pages that refresh every few seconds do not write every time.</summary>
    private static readonly TimeSpan s_sessionTouchInterval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public Task CreateUiSessionAsync(string tokenHash, TimeSpan idleTimeout, TimeSpan lifetime, CancellationToken cancellationToken) =>
        WriteAsync(async (session, _) =>
        {
            var now = Now;
            // Logins are rare, so this is where sessions nobody logged out of are forgotten.
            await session.ExecuteAsync("DELETE FROM ui_sessions WHERE last_seen <= @idle OR created <= @old",
                ("@idle", now - idleTimeout), ("@old", now - lifetime)).ConfigureAwait(false);
            await session.ExecuteAsync("INSERT INTO ui_sessions (token_hash, created, last_seen) VALUES (@hash, @now, @now)",
                ("@hash", tokenHash), ("@now", now)).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> UseUiSessionAsync(string tokenHash, TimeSpan idleTimeout, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = Now;
        var found = await ReadAsync(s => s.QueryAsync("SELECT created, last_seen FROM ui_sessions WHERE token_hash = @hash",
            r => (Created: r.Time("created"), LastSeen: r.Time("last_seen")), ("@hash", tokenHash)), cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return false;
        }

        var (created, lastSeen) = found[0];
        if (now - lastSeen >= idleTimeout || now - created >= lifetime)
        {
            await DeleteUiSessionAsync(tokenHash, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (now - lastSeen >= s_sessionTouchInterval)
        {
            await WriteAsync(async (session, _) => await session.ExecuteAsync("UPDATE ui_sessions SET last_seen = @now WHERE token_hash = @hash",
                ("@now", now), ("@hash", tokenHash)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public Task<bool> DeleteUiSessionAsync(string tokenHash, CancellationToken cancellationToken) =>
        WriteAsync(async (session, _) => await session.ExecuteAsync("DELETE FROM ui_sessions WHERE token_hash = @hash", ("@hash", tokenHash)).ConfigureAwait(false) > 0,
            cancellationToken);
}
