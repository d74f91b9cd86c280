using System.Net;

namespace Weir.Server.Auth;

/// <summary>The web UI's login cookie name and the checks around it.</summary>
internal static class UiSession
{
    public const string CookieName = "weir_session";

    /// <summary>Sends a browser to the login page, remembering where it wanted to go.</summary>
    public static void RedirectToLogin(HttpContext context)
    {
        var back = context.Request.Path + context.Request.QueryString;
        context.Response.Redirect("/login?return=" + Uri.EscapeDataString(back));
    }

    /// <summary>
    /// True unless the browser says the request came from another origin (Origin, else Referer). Browsers send
    /// Origin on every form post, so a page elsewhere cannot start runs through a logged-in (or loopback) UI.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var source = request.Headers.Origin.ToString();
        if (source.Length == 0)
        {
            source = request.Headers.Referer.ToString();
        }

        if (source.Length == 0)
        {
            return true; // not a browser: nothing to forge
        }

        return Uri.TryCreate(source, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the request names the server by a loopback name or address (Host header).</summary>
    public static bool IsLoopbackHost(HttpRequest request)
    {
        var host = request.Host.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
