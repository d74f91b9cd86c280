using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weir.Client;
using Weir.Server.Auth;
using Weir.Server.Storage;

namespace Weir.Server.Api;

internal static partial class Api
{
    private static void MapDeployments(RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Deployments");
        group.MapGet("/flows", async (IWeirStore store, CancellationToken ct) => Results.Ok(await store.ListFlowsAsync(ct).ConfigureAwait(false))).Worker();
        group.MapPut("/deployments", async (DeploymentRequest request, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.UpsertDeploymentAsync(request, ct).ConfigureAwait(false)));
        group.MapGet("/deployments", async (IWeirStore store, CancellationToken ct) => Results.Ok(await store.ListDeploymentsAsync(ct).ConfigureAwait(false))).Worker();
        group.MapGet("/deployments/{flow}/{name}", async (string flow, string name, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            await Access.EnsureOwnDeploymentAsync(AuthMiddleware.CallerOf(http), store, flow + "/" + name, ct).ConfigureAwait(false);
            return await store.GetDeploymentAsync(flow, name, ct).ConfigureAwait(false) is { } deployment
                ? Results.Ok(deployment)
                : NotFound($"There is no deployment '{flow}/{name}'; see weir deployment ls.", "name");
        }).Run();
        group.MapDelete("/deployments/{flow}/{name}", async (string flow, string name, IWeirStore store, CancellationToken ct) =>
            await store.DeleteDeploymentAsync(flow, name, ct).ConfigureAwait(false) ? Results.NoContent() : NotFound($"There is no deployment '{flow}/{name}'.", "name"));
        group.MapPut("/builds/{id}", async (string id, HttpRequest http, IWeirStore store, CancellationToken ct) =>
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            var created = await store.PutBuildAsync(id, buffer.ToArray(), ct).ConfigureAwait(false);
            return Results.Ok(new BuildStored(id, buffer.Length, created));
        }).BodyLimit(SqlStore.MaxBuildBytes).Accepts<byte[]>("application/zip");
        group.MapGet("/builds/{id}", async (string id, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            await Access.EnsureOwnBuildAsync(AuthMiddleware.CallerOf(http), store, id, ct).ConfigureAwait(false);
            return await store.GetBuildAsync(id, ct).ConfigureAwait(false) is { } content
                ? Results.File(content, "application/zip")
                : NotFound($"There is no stored build '{id}'; register the flow again (weir register).", "id");
        }).Run();
        group.MapPost("/deployments/{flow}/{name}/runs", async (string flow, string name, RunRequest? body, IWeirStore store, CancellationToken ct) =>
        {
            var deployment = await store.GetDeploymentAsync(flow, name, ct).ConfigureAwait(false)
                ?? throw new StoreException(404, $"There is no deployment '{flow}/{name}'; see weir deployment ls.", "name");
            var run = await store.CreateRunAsync(new NewFlowRun { Deployment = deployment, Parameters = body?.Parameters, Start = body?.Start }, ct).ConfigureAwait(false);
            return Results.Ok(run);
        });
    }

    /// <summary>The answer to storing a build: its id, size, and whether it was new.</summary>
    internal sealed record BuildStored(string Id, long Size, bool Created);
}
