using System.Buffers.Text;
using System.Security.Cryptography;

namespace Weir.Server.Auth;

/// <summary>
/// Web UI logins. Each login gets a new random session id (256 bits) in an HTTP-only, same-site cookie; the server keeps
/// only its hash (<see cref="ApiKeys.SessionHash"/>) with when it began and when it was last used. Logging out deletes
/// it, and a session unused for <see cref="WeirServerOptions.SessionIdleTimeout"/> or begun more than
/// <see cref="WeirServerOptions.SessionLifetime"/> ago no longer counts.
/// </summary>
internal sealed class UiSessions(ApiKeys keys, WeirServerOptions options)
{
    private const int TokenBytes = 32;

    /// <summary>The length of a session id in base64url: anything else in the cookie is not one.</summary>
    private static readonly int s_tokenLength = Base64Url.GetEncodedLength(TokenBytes);

    /// <summary>Starts a session; returns the cookie value.</summary>
    public async Task<string> StartAsync(IWeirStore store, CancellationToken cancellationToken)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        await store.CreateUiSessionAsync(keys.SessionHash(token)!, options.SessionIdleTimeout, options.SessionLifetime, cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>True when <paramref name="cookie"/> is a session that has not ended or expired.</summary>
    public async Task<bool> IsValidAsync(IWeirStore store, string? cookie, CancellationToken cancellationToken) =>
        HashOf(cookie) is { } hash && await store.UseUiSessionAsync(hash, options.SessionIdleTimeout, options.SessionLifetime, cancellationToken).ConfigureAwait(false);

    /// <summary>Ends the session in <paramref name="cookie"/>, if it is one.</summary>
    public async Task EndAsync(IWeirStore store, string? cookie, CancellationToken cancellationToken)
    {
        if (HashOf(cookie) is { } hash)
        {
            await store.DeleteUiSessionAsync(hash, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The cookie: HTTP only, same-site strict, for the whole UI, until the session's lifetime ends; <c>Secure</c> when the
    /// browser reached the server over HTTPS (behind a TLS proxy: with <see cref="WeirServerOptions.ForwardedHeaders"/>).
    /// </summary>
    public CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        MaxAge = options.SessionLifetime,
        IsEssential = true,
    };

    private string? HashOf(string? cookie) =>
        cookie is not null && cookie.Length == s_tokenLength && Base64Url.IsValid(cookie) ? keys.SessionHash(cookie) : null;
}
