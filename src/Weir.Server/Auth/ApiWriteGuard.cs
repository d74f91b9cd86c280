using System.Net.Http.Headers;

namespace Weir.Server.Auth;

/// <summary>
/// Keeps web pages from writing through the API (cross-site request forgery), on every server, with or without a key.
/// A page on another site can make a browser send a form post or a plain fetch (no custom header; a form, multipart or
/// text body, or none) without asking the server first. So an API write (anything but GET, HEAD and OPTIONS) needs a
/// JSON body (<c>Content-Type: application/json</c>) or the <see cref="WeirClient.ClientHeader"/> header, which a
/// browser sends across sites only after a CORS preflight that this server never grants; and a write whose Origin (or
/// Referer) names another site is refused whatever it carries. The CLI, workers and flow processes send the header on
/// every call (<see cref="WeirClient"/>).
/// </summary>
internal static class ApiWriteGuard
{
    /// <summary>Why <paramref name="request"/> is refused, or null when it may go on.</summary>
    public static (string Message, string Field)? RefusalOf(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        if (!UiSession.IsSameOrigin(request))
        {
            var origin = request.Headers.Origin.ToString() is { Length: > 0 } o ? $"Origin {o}" : "its Referer";
            return ($"Refused: this {request.Method} to the API came from a web page on another site ({origin}); the API takes writes only from the weir CLI, workers and scripts.", "origin");
        }

        if (!IsJson(request.ContentType) && string.IsNullOrEmpty(request.Headers[WeirClient.ClientHeader]))
        {
            return ($"Refused: an API {request.Method} needs a JSON body (Content-Type: application/json) or the header '{WeirClient.ClientHeader}' (any value), which web pages on other sites cannot send; the weir CLI and workers send it.", WeirClient.ClientHeader);
        }

        return null;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
}
