using System.Globalization;
using Weir.Server.Ui.Pages;

namespace Weir.Server.Ui;

internal static partial class UiEndpoints
{
    private static void MapLogin(RouteGroupBuilder ui, ApiKeys keys, UiSessions sessions, LoginThrottle throttle)
    {
        ui.MapGet("/login", async (HttpContext http, IWeirStore store, string? @return) =>
        {
            if (keys.Open)
            {
                http.Response.Redirect(ReturnPath.Safe(@return)); // nothing to log in to on an open (loopback-only) server
                return;
            }

            await LoginPageAsync(http, store, keys, ReturnPath.Safe(@return), null, StatusCodes.Status200OK).ConfigureAwait(false);
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous));

        ui.MapPost("/login", async (HttpContext http, IWeirStore store) =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;
            var back = ReturnPath.Safe(form["return"]);
            if (keys.Open)
            {
                http.Response.Redirect(back);
                return;
            }

            var client = http.Connection.RemoteIpAddress;
            if (throttle.RetryAfter(client) is { } wait)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await LoginPageAsync(http, store, keys, back, string.Create(CultureInfo.InvariantCulture,
                    $"Too many wrong keys from your address; try again in {seconds} s."), StatusCodes.Status429TooManyRequests).ConfigureAwait(false);
                return;
            }

            if (keys.RoleOf(form["key"].ToString()) != ApiRole.Admin)
            {
                throttle.Failed(client);
                await LoginPageAsync(http, store, keys, back, "That is not this server's API key (WEIR_API_KEY).", StatusCodes.Status401Unauthorized).ConfigureAwait(false);
                return;
            }

            throttle.Succeeded(client);
            // A new session id for every login (an id planted in the browser before the login is worth nothing); the old one ends.
            await sessions.EndAsync(store, http.Request.Cookies[UiSession.CookieName], http.RequestAborted).ConfigureAwait(false);
            var token = await sessions.StartAsync(store, http.RequestAborted).ConfigureAwait(false);
            http.Response.Cookies.Append(UiSession.CookieName, token, sessions.CookieOptions(http.Request));
            http.Response.Redirect(back);
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous));

        ui.MapPost("/logout", async (HttpContext http, IWeirStore store) =>
        {
            await sessions.EndAsync(store, http.Request.Cookies[UiSession.CookieName], http.RequestAborted).ConfigureAwait(false);
            http.Response.Cookies.Delete(UiSession.CookieName, sessions.CookieOptions(http.Request));
            http.Response.Redirect("/login");
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous));
    }

    private static Task LoginPageAsync(HttpContext http, IWeirStore store, ApiKeys keys, string back, string? error, int status) =>
        PageAsync<Login>(http, new() { ["Chrome"] = Chrome(http, store, keys) with { SignedIn = false }, ["Return"] = back, ["Error"] = error }, status);
}
