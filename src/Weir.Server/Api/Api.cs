using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Weir.Client;
using Weir.Server.Auth;

namespace Weir.Server.Api;

/// <summary>
/// The REST API under <c>/api</c>, one file per feature. Endpoints need the admin key unless marked
/// <see cref="Worker"/> (worker keys may call them), <see cref="Run"/> (run tokens too) or <see cref="Anyone"/>.
/// </summary>
internal static partial class Api
{
    public static void Map(IEndpointRouteBuilder app, WeirServerOptions options)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/health", () => Results.Ok(new HealthDto("ok"))).Anyone().WithTags("Server");
        api.MapGet("/version", () => Results.Ok(new VersionDto(WeirServer.Version, ApiVersion))).Anyone().WithTags("Server");
        MapDeployments(api);
        MapFlowRuns(api, options);
        MapWork(api);
        MapBlocks(api);
        MapVariables(api);
    }

    /// <summary>The API's version: bumped when a route or a DTO changes incompatibly.</summary>
    public const int ApiVersion = 1;

    private static RouteHandlerBuilder Worker(this RouteHandlerBuilder builder) => builder.WithMetadata(new RoleRequirement(ApiRole.Worker));

    /// <summary>Run tokens may call it too, for their own run (each endpoint checks what the token may touch, <see cref="Access"/>).</summary>
    private static RouteHandlerBuilder Run(this RouteHandlerBuilder builder) => builder.WithMetadata(new RoleRequirement(ApiRole.Run));

    private static RouteHandlerBuilder Anyone(this RouteHandlerBuilder builder) => builder.WithMetadata(new RoleRequirement(ApiRole.Anonymous));

    private static RouteHandlerBuilder BodyLimit(this RouteHandlerBuilder builder, long bytes) => builder.WithMetadata(new BodySizeLimit(bytes));

    private static IResult NotFound(string message, string field) => Results.Json(new ProblemDto(message, field), ApiJson.Options, statusCode: 404);

    internal sealed record HealthDto(string Status);

    internal sealed record VersionDto(string Version, int Api);

    /// <summary>Per-endpoint request body limit.</summary>
    internal sealed record BodySizeLimit(long MaxRequestBodySize) : IRequestSizeLimitMetadata
    {
        long? IRequestSizeLimitMetadata.MaxRequestBodySize => MaxRequestBodySize;
    }
}
