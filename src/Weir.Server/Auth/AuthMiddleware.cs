using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Server.Auth;

/// <summary>
/// Resolves the caller's role from <c>Authorization: Bearer KEY</c> (or, on the UI's pages, the login cookie) and refuses
/// calls that need more (401 without a valid key, 403 with a key that may not do this), and writes that a web page on
/// another site could have sent (<see cref="ApiWriteGuard"/>; the UI's forms: a foreign Origin). Runs after routing so
/// it can read the endpoint's <see cref="RoleRequirement"/>.
/// </summary>
internal static class AuthMiddleware
{
    private const string RoleItem = "weir.role";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, ApiKeys keys, UiSessions sessions)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var role = keys.RoleOf(presented);
        var endpoint = context.GetEndpoint();
        var isPage = endpoint?.Metadata.GetMetadata<UiPage>() is not null;
        if (keys.Open && !UiSession.IsLoopbackHost(context.Request))
        {
            // No key means anyone who can reach the port is admin; a request that names the server by another
            // host name is a DNS-rebinding attempt from some web site, so pages and API answer only to loopback names.
            await RefuseAsync(context, isPage, 403, "This server has no API key, so it answers only at 127.0.0.1 or localhost.", "host").ConfigureAwait(false);
            return;
        }

        if (!isPage && context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && ApiWriteGuard.RefusalOf(context.Request) is { } refusal)
        {
            await RefuseAsync(context, isPage, 403, refusal.Message, refusal.Field).ConfigureAwait(false);
            return;
        }

        if (presented is null && isPage && !keys.Open && context.Request.Cookies[UiSession.CookieName] is { } cookie
            && await sessions.IsValidAsync(context.RequestServices.GetRequiredService<IWeirStore>(), cookie, context.RequestAborted).ConfigureAwait(false))
        {
            // The web UI's login cookie counts as the admin key on the UI's own pages, never on /api.
            role = ApiRole.Admin;
        }

        context.Items[RoleItem] = role;
        var needed = endpoint?.Metadata.GetMetadata<RoleRequirement>()?.Role ?? ApiRole.Admin;
        if (role < needed && isPage)
        {
            UiSession.RedirectToLogin(context);
            return;
        }

        if (isPage && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !UiSession.IsSameOrigin(context.Request))
        {
            // A form posted from another site (cross-site request forgery): the UI's forms are only posted from its own pages.
            await RefuseAsync(context, isPage, 403, "Refused: this form was posted from another site.", "origin").ConfigureAwait(false);
            return;
        }

        if (role < needed)
        {
            var (status, message) = role == ApiRole.Anonymous
                ? (401, presented is null
                    ? "This server needs an API key: send 'Authorization: Bearer KEY' (the CLI and workers read WEIR_API_KEY)."
                    : "The API key is not one this server knows; check WEIR_API_KEY.")
                : (403, $"A worker key may not {context.Request.Method} {context.Request.Path}; use the admin key (WEIR_API_KEY).");
            await RefuseAsync(context, isPage, status, message, "authorization").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    public static ApiRole RoleOf(HttpContext context) => context.Items.TryGetValue(RoleItem, out var role) && role is ApiRole r ? r : ApiRole.Anonymous;

    /// <summary>Answers a page with the sentence as text, the API with a problem naming the field.</summary>
    private static Task RefuseAsync(HttpContext context, bool isPage, int status, string message, string field)
    {
        context.Response.StatusCode = status;
        return isPage
            ? context.Response.WriteAsync(message)
            : context.Response.WriteAsJsonAsync(new ProblemDto(message, field), ApiJson.Options);
    }
}
