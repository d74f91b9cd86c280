using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Weir.Client;
using Weir.Server.Auth;
using Weir.Server.Storage;

namespace Weir.Server.Api;

internal static partial class Api
{
    /// <summary>The longest a claim may wait for a run.</summary>
    public const double MaxClaimWaitSeconds = 60;

    private static void MapWork(RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Work pools");
        group.MapPost("/work-pools/{pool}/claims", async (string pool, ClaimRequest request, IWeirStore store, RunTokens tokens, WeirServerOptions options, HttpContext http, CancellationToken ct) =>
        {
            var caller = AuthMiddleware.CallerOf(http);
            Access.EnsurePool(caller, pool);
            var claimed = await store.ClaimAsync(pool, request.Worker, request.Max, Wait(request), caller.WorkerKeyName, ct).ConfigureAwait(false);
            // Each attempt gets a token of its own: what the worker hands the run's code instead of its key.
            var now = options.TimeProvider.GetUtcNow();
            return Results.Ok(claimed.Select(r => r with { RunToken = tokens.Issue(r.FlowRunId, r.Attempt, now) }).ToList());
        }).Worker();
        group.MapPost("/work-pools/{pool}/heartbeat", async (string pool, HeartbeatRequest request, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            var caller = AuthMiddleware.CallerOf(http);
            Access.EnsurePool(caller, pool);
            return Results.Ok(new HeartbeatResponse(await store.HeartbeatAsync(pool, request.Worker, request.Running, caller.WorkerKeyName, ct).ConfigureAwait(false)));
        }).Worker();
        group.MapGet("/work-pools", async (IWeirStore store, CancellationToken ct) => Results.Ok(await store.ListPoolsAsync(ct).ConfigureAwait(false))).Worker();
        group.MapGet("/work-pools/{name}", async (string name, IWeirStore store, CancellationToken ct) =>
            await store.GetPoolAsync(name, ct).ConfigureAwait(false) is { } pool ? Results.Ok(pool) : NotFound($"There is no work pool '{name}'; see weir work-pool ls.", "name")).Worker();
        group.MapPut("/work-pools/{name}", async (string name, WorkPoolRequest body, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.PutPoolAsync(name, body.Type ?? "process", body.ConcurrencyLimit, body.Paused, body.BaseJobTemplate, ct).ConfigureAwait(false)));
    }

    private static TimeSpan Wait(ClaimRequest request)
    {
        if (!double.IsFinite(request.WaitSeconds) || request.WaitSeconds < 0 || request.WaitSeconds > MaxClaimWaitSeconds)
        {
            throw new StoreException(400, $"A claim waits 0 to {MaxClaimWaitSeconds} seconds ('waitSeconds'), not {request.WaitSeconds}.", "waitSeconds");
        }

        return TimeSpan.FromSeconds(request.WaitSeconds);
    }
}
