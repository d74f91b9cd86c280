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
    private const string CallerItem = "weir.caller";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, ApiKeys keys, UiSessions sessions, RunTokens tokens, WeirServerOptions options)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var isRunToken = presented is not null && presented.StartsWith(RunTokens.Prefix, StringComparison.Ordinal);
        var caller = isRunToken ? Caller.Anonymous : keys.CallerOf(presented);
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

        if (isRunToken)
        {
            // A run token is scoped to its run on every server, with or without keys: it never counts as a key.
            var (run, tokenRefusal) = await CheckRunTokenAsync(context, tokens, presented!, options).ConfigureAwait(false);
            if (run is null)
            {
                await RefuseAsync(context, isPage, 401, tokenRefusal!, "authorization").ConfigureAwait(false);
                return;
            }

            caller = new Caller(ApiRole.Run, Run: run);
        }

        var role = caller.Role;
        if (presented is null && isPage && !keys.Open && context.Request.Cookies[UiSession.CookieName] is { } cookie
            && await sessions.IsValidAsync(context.RequestServices.GetRequiredService<IWeirStore>(), cookie, context.RequestAborted).ConfigureAwait(false))
        {
            // The web UI's login cookie counts as the admin key on the UI's own pages, never on /api.
            role = ApiRole.Admin;
            caller = Caller.Admin;
        }

        context.Items[CallerItem] = caller;
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
                : role == ApiRole.Run
                    ? (403, $"A run token may not {context.Request.Method} {context.Request.Path}: it may report its own run, read it and its deployment, the variables, and the blocks its deployment declares.")
                    : (403, needed == ApiRole.Admin
                        ? $"A worker key may not {context.Request.Method} {context.Request.Path}; use the admin key (WEIR_API_KEY)."
                        : $"A worker key may not {context.Request.Method} {context.Request.Path}.");
            await RefuseAsync(context, isPage, status, message, "authorization").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    public static ApiRole RoleOf(HttpContext context) => CallerOf(context).Role;

    /// <summary>Who sent the request (set before the endpoint runs).</summary>
    public static Caller CallerOf(HttpContext context) => context.Items.TryGetValue(CallerItem, out var caller) && caller is Caller c ? c : Caller.Anonymous;

    /// <summary>
    /// A run token holds while its attempt of the run is going (claimed, running, being cancelled) and for
    /// <see cref="WeirServerOptions.RunTokenGrace"/> after the attempt ended (its last logs may still be on their way);
    /// a re-scheduled or re-claimed run, or one that ended longer ago, refuses it.
    /// </summary>
    private static async Task<(RunCredential? Run, string? Refusal)> CheckRunTokenAsync(HttpContext context, RunTokens tokens, string presented, WeirServerOptions options)
    {
        if (tokens.Read(presented) is not { } credential)
        {
            return (null, "The run token is not one this server issued (or it was changed); a worker gets a run's token when it claims the run.");
        }

        var store = context.RequestServices.GetRequiredService<IWeirStore>();
        var run = await store.GetRunAsync(credential.RunId, context.RequestAborted).ConfigureAwait(false);
        var now = options.TimeProvider.GetUtcNow();
        string? refusal = run switch
        {
            null => $"The run token of flow run {credential.RunId} is no longer valid: the server has no such run.",
            _ when run.RunCount != credential.Attempt =>
                $"The run token of flow run {credential.RunId} is no longer valid: it was issued for attempt {credential.Attempt}, and the run is at attempt {run.RunCount} now (each attempt has a token of its own).",
            _ when run.State == StateType.Scheduled =>
                $"The run token of flow run {credential.RunId} is no longer valid: its attempt {credential.Attempt} ended and the run waits to be claimed again.",
            _ when run.State.IsTerminal() && now - run.StateTime > options.RunTokenGrace =>
                $"The run token of flow run {credential.RunId} is no longer valid: the run ended {run.State} at {run.StateTime:yyyy-MM-dd HH:mm:ss} UTC, and a run's token ends {options.RunTokenGrace.TotalSeconds:0} s after its run.",
            _ => null,
        };
        return refusal is null ? (credential, null) : (null, refusal);
    }

    /// <summary>Answers a page with the sentence as text, the API with a problem naming the field.</summary>
    private static Task RefuseAsync(HttpContext context, bool isPage, int status, string message, string field)
    {
        context.Response.StatusCode = status;
        return isPage
            ? context.Response.WriteAsync(message)
            : context.Response.WriteAsJsonAsync(new ProblemDto(message, field), ApiJson.Options);
    }
}
