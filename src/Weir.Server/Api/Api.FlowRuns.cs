using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weir.Client;
using Weir.Server.Auth;
using Weir.Server.Storage;

namespace Weir.Server.Api;

internal static partial class Api
{
    private static void MapFlowRuns(RouteGroupBuilder api, WeirServerOptions options)
    {
        var group = api.MapGroup("").WithTags("Flow runs");
        // id: the start of a run's id or short id, as people type it (weir flow-run logs 4f3c).
        group.MapGet("/flow-runs", async (IWeirStore store, int? limit, string? deployment, string? flow, string? state, string? workPool, string? id, CancellationToken ct) =>
            Results.Ok(await store.ListRunsAsync(new FlowRunFilter
            {
                Limit = Math.Clamp(limit ?? 50, 1, 10_000), Deployment = deployment, Flow = flow, State = ParseState(state, "state"), WorkPool = workPool,
                IdPrefix = id,
            }, ct).ConfigureAwait(false))).Worker();
        group.MapGet("/flow-runs/{id:guid}", async (Guid id, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            Access.EnsureOwnRun(AuthMiddleware.CallerOf(http), id);
            return await store.GetRunAsync(id, ct).ConfigureAwait(false) is { } run ? Results.Ok(run) : NotFound($"There is no flow run {id}.", "id");
        }).Run();
        group.MapGet("/flow-runs/{id:guid}/states", async (Guid id, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.RunHistoryAsync(id, ct).ConfigureAwait(false))).Worker();
        group.MapPost("/flow-runs/{id:guid}/state", async (Guid id, StateRequest request, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            var caller = AuthMiddleware.CallerOf(http);
            return Results.Ok(await store.SetStateAsync(id, request, run => Access.WhyNotReport(caller, run), ct).ConfigureAwait(false));
        }).Run();
        group.MapPost("/flow-runs/{id:guid}/heartbeat", async (Guid id, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            var caller = AuthMiddleware.CallerOf(http);
            var run = await store.GetRunAsync(id, ct).ConfigureAwait(false) ?? throw new StoreException(404, $"There is no flow run {id}.", "id");
            if (Access.WhyNotReport(caller, run) is { } refusal)
            {
                throw new StoreException(403, refusal, "id");
            }

            return Results.Ok(new HeartbeatResponse(await store.HeartbeatRunAsync(id, ct).ConfigureAwait(false) ? [id] : []));
        }).Run();
        group.MapPost("/flow-runs/{id:guid}/cancel", async (Guid id, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.CancelAsync(id, ct).ConfigureAwait(false)));
        group.MapGet("/flow-runs/{id:guid}/task-runs", async (Guid id, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.TaskRunsAsync(id, ct).ConfigureAwait(false))).Worker();
        group.MapGet("/task-runs/{id:guid}/states", async (Guid id, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.TaskRunHistoryAsync(id, ct).ConfigureAwait(false))).Worker();
        group.MapGet("/flow-runs/{id:guid}/logs", async (Guid id, IWeirStore store, long? after, int? limit, CancellationToken ct) =>
            Results.Ok(await store.LogsAsync(id, after ?? 0, Math.Clamp(limit ?? 1000, 1, 10_000), ct).ConfigureAwait(false))).Worker();
        group.MapPost("/events", async (EventBatch batch, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            var caller = AuthMiddleware.CallerOf(http);
            var guard = caller.Role == Auth.ApiRole.Admin ? null : (Func<FlowRunDto, string?>)(run => Access.WhyNotReport(caller, run));
            return Results.Ok(await store.ApplyBatchAsync(batch, guard, ct).ConfigureAwait(false));
        }).Run().BodyLimit(options.MaxEventBatchBytes);
    }

    private static StateType? ParseState(string? text, string field) =>
        text is null ? null
        : Enum.TryParse<StateType>(text, ignoreCase: true, out var state) && !int.TryParse(text, out _) ? state
        : throw new StoreException(400, $"'{text}' is not a state ('{field}'); states: {string.Join(", ", Enum.GetNames<StateType>())}.", field);
}
