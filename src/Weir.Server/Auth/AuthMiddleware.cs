using Microsoft.AspNetCore.Http;
using Weir.Client;

namespace Weir.Server.Auth;

/// <summary>
/// Resolves the caller's role from <c>Authorization: Bearer KEY</c> and refuses calls that need more
/// (401 without a valid key, 403 with a key that may not do this). Runs after routing so it can read
/// the endpoint's <see cref="RoleRequirement"/>.
/// </summary>
internal static class AuthMiddleware
{
    private const string RoleItem = "weir.role";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, ApiKeys keys)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var role = keys.RoleOf(presented);
        var endpoint = context.GetEndpoint();
        var isPage = endpoint?.Metadata.GetMetadata<UiPage>() is not null;
        if (presented is null && isPage && keys.IsSession(context.Request.Cookies[UiSession.CookieName]))
        {
            // The web UI's login cookie counts as the admin key on the UI's own pages, never on /api.
            role = ApiRole.Admin;
        }

        if (keys.Open && !UiSession.IsLoopbackHost(context.Request))
        {
            // No key means anyone who can reach the port is admin; a request that names the server by another
            // host name is a DNS-rebinding attempt from some web site, so pages and API answer only to loopback names.
            context.Response.StatusCode = 403;
            const string message = "This server has no API key, so it answers only at 127.0.0.1 or localhost.";
            if (isPage)
            {
                await context.Response.WriteAsync(message).ConfigureAwait(false);
            }
            else
            {
                await context.Response.WriteAsJsonAsync(new ProblemDto(message, "host"), ApiJson.Options).ConfigureAwait(false);
            }

            return;
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
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("Refused: this form was posted from another site.").ConfigureAwait(false);
            return;
        }

        if (role < needed)
        {
            var (status, message) = role == ApiRole.Anonymous
                ? (401, presented is null
                    ? "This server needs an API key: send 'Authorization: Bearer KEY' (the CLI and workers read WEIR_API_KEY)."
                    : "The API key is not one this server knows; check WEIR_API_KEY.")
                : (403, $"A worker key may not {context.Request.Method} {context.Request.Path}; use the admin key (WEIR_API_KEY).");
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new ProblemDto(message, "authorization"), ApiJson.Options).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    public static ApiRole RoleOf(HttpContext context) => context.Items.TryGetValue(RoleItem, out var role) && role is ApiRole r ? r : ApiRole.Anonymous;
}
