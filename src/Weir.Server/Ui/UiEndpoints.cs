using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Weir.Server.Ui.Pages;

namespace Weir.Server.Ui;

/// <summary>
/// The web UI at <c>/</c>: server-rendered pages (Razor components rendered to HTML per request, no
/// client framework), a login page when the server has an API key, and the stylesheet and the small
/// script that follows a live run. Pages read through <see cref="IWeirStore"/>; one file per area.
/// </summary>
internal static partial class UiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, WeirServerOptions options, ApiKeys keys, UiSessions sessions, LoginThrottle throttle)
    {
        var ui = app.MapGroup("").WithMetadata(new UiPage()).ExcludeFromDescription();
        MapAssets(app);
        MapLogin(ui, keys, sessions, throttle);
        MapOverview(ui, options, keys);
        MapDeployments(ui, keys);
        MapRuns(ui, keys);
    }

    private static PageChrome Chrome(HttpContext http, IWeirStore store, ApiKeys keys) =>
        new(WeirServer.Version, store.Description, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), !keys.Open);

    /// <summary>Renders a component as the whole response.</summary>
    private static async Task PageAsync<TComponent>(HttpContext http, Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        var html = await RenderAsync<TComponent>(http, parameters).ConfigureAwait(false);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "same-origin";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
        await http.Response.WriteAsync(html, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Renders a component to an HTML string.</summary>
    private static async Task<string> RenderAsync<TComponent>(HttpContext http, Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(http.RequestServices, http.RequestServices.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return output.ToHtmlString();
        }).ConfigureAwait(false);
    }

    private static Task MessageAsync(HttpContext http, IWeirStore store, ApiKeys keys, int status, string title, string text) =>
        PageAsync<Message>(http, new() { ["Chrome"] = Chrome(http, store, keys), ["Title"] = title, ["Text"] = text }, status);
}
