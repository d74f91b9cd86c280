using Microsoft.AspNetCore.Http;

namespace Weir.Server.Api;

/// <summary>
/// With <c>WEIR_API_KEY</c> set, every call but <c>/api/health</c> needs <c>Authorization: Bearer KEY</c>.
/// Without one the server listens on loopback only, and its single local user may do everything.
/// </summary>
internal static class ApiKeyAuth
{
    private const string Authenticated = "weir.authenticated";

    public static async Task Middleware(HttpContext context, Func<Task> next, string? apiKey)
    {
        if (apiKey is null || context.Request.Path.Equals("/api/health", StringComparison.Ordinal))
        {
            context.Items[Authenticated] = apiKey is null;
            await next().ConfigureAwait(false);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(header["Bearer ".Length..]), System.Text.Encoding.UTF8.GetBytes(apiKey)))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new Client.ProblemDto("This server needs an API key: set WEIR_API_KEY for the CLI and workers.")).ConfigureAwait(false);
            return;
        }

        context.Items[Authenticated] = true;
        await next().ConfigureAwait(false);
    }

    public static bool MayReveal(HttpContext context) => context.Items.TryGetValue(Authenticated, out var value) && value is true;
}
