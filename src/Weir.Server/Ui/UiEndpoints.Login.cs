using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weir.Server.Auth;
using Weir.Server.Storage;
using Weir.Server.Ui.Pages;

namespace Weir.Server.Ui;

internal static partial class UiEndpoints
{
    private static void MapLogin(RouteGroupBuilder ui, ApiKeys keys)
    {
        ui.MapGet("/login", async (HttpContext http, IWeirStore store, string? @return) =>
        {
            if (keys.Open)
            {
                http.Response.Redirect(UiSession.SafeReturn(@return)); // nothing to log in to on an open (loopback-only) server
                return;
            }

            await LoginPageAsync(http, store, keys, UiSession.SafeReturn(@return), null, StatusCodes.Status200OK).ConfigureAwait(false);
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous));

        ui.MapPost("/login", async (HttpContext http, IWeirStore store) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            var back = UiSession.SafeReturn(form["return"]);
            if (keys.Open)
            {
                http.Response.Redirect(back);
                return;
            }

            if (keys.RoleOf(form["key"].ToString()) != ApiRole.Admin)
            {
                await LoginPageAsync(http, store, keys, back, "That is not this server's API key (WEIR_API_KEY).", StatusCodes.Status401Unauthorized).ConfigureAwait(false);
                return;
            }

            http.Response.Cookies.Append(UiSession.CookieName, keys.SessionToken!, UiSession.CookieOptions(http.Request));
            http.Response.Redirect(back);
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous));

        ui.MapPost("/logout", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(UiSession.CookieName, UiSession.CookieOptions(http.Request));
            http.Response.Redirect("/login");
        }).WithMetadata(new RoleRequirement(ApiRole.Anonymous));
    }

    private static Task LoginPageAsync(HttpContext http, IWeirStore store, ApiKeys keys, string back, string? error, int status) =>
        PageAsync<Login>(http, new() { ["Chrome"] = Chrome(http, store, keys) with { SignedIn = false }, ["Return"] = back, ["Error"] = error }, status);
}
