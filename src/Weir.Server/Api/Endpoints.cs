using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weir.Client;
using Weir.Server.Data;
using Weir.Server.Secrets;

namespace Weir.Server.Api;

/// <summary>The REST API under <c>/api</c>.</summary>
internal static class Endpoints
{
    public const int EventBatchLimit = 16 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        api.MapGet("/version", () => Results.Ok(new { version = typeof(WeirServer).Assembly.GetName().Version?.ToString(3) }));

        api.MapPut("/deployments", async (DeploymentRequest request, Store store) =>
        {
            Require(request.FlowName, "flowName");
            Require(request.Name, "name");
            Require(request.Entrypoint, "entrypoint");
            return Results.Ok(await store.UpsertDeploymentAsync(request).ConfigureAwait(false));
        });
        api.MapGet("/deployments", async (Store store) => Results.Ok(await store.ListDeploymentsAsync().ConfigureAwait(false)));
        api.MapGet("/deployments/{flow}/{name}", async (string flow, string name, Store store) =>
            await store.GetDeploymentAsync(flow, name).ConfigureAwait(false) is { } d ? Results.Ok(d) : NotFound($"There is no deployment '{flow}/{name}'; see weir deployment ls."));
        api.MapPost("/deployments/{flow}/{name}/runs", async (string flow, string name, RunRequestBody? body, Store store) =>
        {
            var deployment = await store.GetDeploymentAsync(flow, name).ConfigureAwait(false) ?? throw new StoreException(404, $"There is no deployment '{flow}/{name}'; see weir deployment ls.");
            return Results.Ok(await store.CreateRunAsync(deployment, body?.Parameters).ConfigureAwait(false));
        });

        api.MapGet("/flow-runs", async (Store store, int? limit, string? deployment, StateType? state) =>
            Results.Ok(await store.ListRunsAsync(Math.Clamp(limit ?? 50, 1, 1000), deployment, state).ConfigureAwait(false)));
        api.MapGet("/flow-runs/{id:guid}", async (Guid id, Store store) =>
            await store.GetRunAsync(id).ConfigureAwait(false) is { } run ? Results.Ok(run) : NotFound($"There is no flow run {id}."));
        api.MapGet("/flow-runs/{id:guid}/states", async (Guid id, Store store) => Results.Ok(await store.RunHistoryAsync(id).ConfigureAwait(false)));
        api.MapPost("/flow-runs/{id:guid}/state", async (Guid id, StateRequest request, Store store) => Results.Ok(await store.SetStateAsync(id, request).ConfigureAwait(false)));
        api.MapPost("/flow-runs/{id:guid}/cancel", async (Guid id, Store store) => Results.Ok(await store.CancelAsync(id).ConfigureAwait(false)));
        api.MapPost("/flow-runs/{id:guid}/provenance", async (Guid id, ProvenanceRequest request, Store store) =>
        {
            await store.SetProvenanceAsync(id, request).ConfigureAwait(false);
            return Results.NoContent();
        });
        api.MapGet("/flow-runs/{id:guid}/task-runs", async (Guid id, Store store) => Results.Ok(await store.TaskRunsAsync(id).ConfigureAwait(false)));
        api.MapGet("/flow-runs/{id:guid}/logs", async (Guid id, Store store, long? after, int? limit) =>
            Results.Ok(await store.LogsAsync(id, after ?? 0, Math.Clamp(limit ?? 1000, 1, 10_000)).ConfigureAwait(false)));
        api.MapPost("/events", async (EventBatch batch, Store store) => Results.Ok(new { refused = await store.ApplyBatchAsync(batch).ConfigureAwait(false) }))
            .WithMetadata(new RequestSizeLimitAttribute(EventBatchLimit));

        api.MapPost("/work-pools/{pool}/claim", async (string pool, ClaimRequest request, Store store, HttpContext http) =>
        {
            Require(request.Worker, "worker");
            var wait = TimeSpan.FromSeconds(Math.Clamp(request.WaitSeconds, 0, 60));
            return await store.ClaimAsync(pool, request.Worker, wait, http.RequestAborted).ConfigureAwait(false) is { } claimed ? Results.Ok(claimed) : Results.NoContent();
        });
        api.MapPost("/work-pools/{pool}/heartbeat", async (string pool, HeartbeatRequest request, Store store) =>
            Results.Ok(new HeartbeatResponse(await store.HeartbeatAsync(pool, request.Worker, request.Running).ConfigureAwait(false))));
        api.MapGet("/work-pools", async (Store store) => Results.Ok(await store.ListPoolsAsync().ConfigureAwait(false)));
        api.MapPut("/work-pools/{name}", async (string name, PoolBody body, Store store) => Results.Ok(await store.PutPoolAsync(name, body.Type ?? "process", body.ConcurrencyLimit).ConfigureAwait(false)));

        api.MapGet("/block-types", () => Results.Ok(BlockTypes.All));
        api.MapGet("/blocks", async (Store store) => Results.Ok(await store.ListBlocksAsync().ConfigureAwait(false)));
        api.MapGet("/blocks/{type}/{name}", async (string type, string name, bool? reveal, Store store, HttpContext http) =>
        {
            var show = reveal == true && ApiKeyAuth.MayReveal(http);
            if (reveal == true && !show)
            {
                return Results.Json(new ProblemDto("Revealing secret fields needs the admin or a worker API key.", "reveal"), statusCode: 403);
            }

            return await store.GetBlockAsync(type, name, show).ConfigureAwait(false) is { } block ? Results.Ok(block) : NotFound($"There is no {type} block named '{name}'.");
        });
        api.MapPut("/blocks/{type}/{name}", async (string type, string name, BlockBody body, Store store) =>
            Results.Ok(await store.PutBlockAsync(type, name, body.Fields ?? throw new StoreException(400, "The body needs 'fields', an object of field names to values.", "fields")).ConfigureAwait(false)));
        api.MapDelete("/blocks/{type}/{name}", async (string type, string name, Store store) =>
            await store.DeleteBlockAsync(type, name).ConfigureAwait(false) ? Results.NoContent() : NotFound($"There is no {type} block named '{name}'."));

        api.MapGet("/variables", async (Store store) => Results.Ok(await store.ListVariablesAsync().ConfigureAwait(false)));
        api.MapPut("/variables/{name}", async (string name, VariableBody body, Store store) =>
            Results.Ok(await store.PutVariableAsync(name, body.Value ?? throw new StoreException(400, "The body needs 'value'.", "value")).ConfigureAwait(false)));
    }

    private static IResult NotFound(string message) => Results.Json(new ProblemDto(message), statusCode: 404);

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StoreException(400, $"The request needs '{field}'.", field);
        }
    }

    internal sealed record RunRequestBody(JsonObject? Parameters);

    internal sealed record PoolBody(string? Type, int? ConcurrencyLimit);

    internal sealed record BlockBody(JsonObject? Fields);

    internal sealed record VariableBody(string? Value);
}
