using Weir.Server.Ui.Pages;

namespace Weir.Server.Ui;

internal static partial class UiEndpoints
{
    private const int RunListLimit = 200;
    private const int LogPage = 1000;

    private static void MapRuns(RouteGroupBuilder ui, ApiKeys keys)
    {
        ui.MapGet("/runs", async (HttpContext http, IWeirStore store, string? state, string? flow, string? deployment, string? since) =>
        {
            var ct = http.RequestAborted;
            var chrome = Chrome(http, store, keys);
            state = Blank(state);
            flow = Blank(flow);
            deployment = Blank(deployment);
            since = Blank(since) ?? "all";
            var type = Enum.TryParse<StateType>(state, ignoreCase: true, out var t) && !int.TryParse(state, out _) ? t : (StateType?)null;
            var filter = new FlowRunFilter
            {
                State = type,
                StateName = state is not null && type is null ? state : null, // Late, AwaitingRetry: state names, not types
                Flow = flow,
                Deployment = deployment,
                Since = RunsModel.Span(since) is { } span ? chrome.Now - span : null,
                Limit = RunListLimit,
            };
            var runs = await store.ListRunsAsync(filter, ct).ConfigureAwait(false);
            var flows = (await store.ListFlowsAsync(ct).ConfigureAwait(false)).Select(f => f.Name).ToList();
            var deployments = (await store.ListDeploymentsAsync(ct).ConfigureAwait(false)).Select(d => d.FullName).Order(StringComparer.Ordinal).ToList();
            await PageAsync<Runs>(http, new() { ["Model"] = new RunsModel(chrome, state, flow, deployment, since, RunListLimit, flows, deployments, runs) }).ConfigureAwait(false);
        });

        ui.MapGet("/runs/{id:guid}", async (Guid id, HttpContext http, IWeirStore store) =>
        {
            if (await LoadRunAsync(http, store, keys, id).ConfigureAwait(false) is not { } model)
            {
                await MessageAsync(http, store, keys, 404, "Not found", $"There is no flow run {id}.").ConfigureAwait(false);
                return;
            }

            await PageAsync<Run>(http, new() { ["Model"] = model }).ConfigureAwait(false);
        });

        // What the run page's script polls while the run is live: the details re-rendered, and the log lines after the last it has.
        ui.MapGet("/runs/{id:guid}/live", async (Guid id, long? after, HttpContext http, IWeirStore store) =>
        {
            if (await LoadRunAsync(http, store, keys, id, after ?? 0).ConfigureAwait(false) is not { } model)
            {
                return Results.NotFound();
            }

            var details = await RenderAsync<RunDetails>(http, new() { ["Model"] = model }).ConfigureAwait(false);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(new LiveRun(
                model.Run.State.ToString(),
                model.Run.State.IsTerminal() && !model.MoreLogs,
                details,
                [.. model.Logs.Select(l => new LiveLog(l.Id, Fmt.Clock(l.Time), l.Level, l.Writer, l.Message))]));
        });

        ui.MapPost("/runs/{id:guid}/cancel", async (Guid id, HttpContext http, IWeirStore store) =>
        {
            try
            {
                await store.CancelAsync(id, http.RequestAborted).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.Status == 409)
            {
                // It ended meanwhile: its page says how.
            }

            http.Response.Redirect($"/runs/{id}");
        });
    }

    private static async Task<RunModel?> LoadRunAsync(HttpContext http, IWeirStore store, ApiKeys keys, Guid id, long after = 0)
    {
        var ct = http.RequestAborted;
        var chrome = Chrome(http, store, keys);
        if (await store.GetRunAsync(id, ct).ConfigureAwait(false) is not { } run)
        {
            return null;
        }

        return new RunModel(
            chrome,
            run,
            run.DeploymentId is { } deployment ? await store.GetDeploymentAsync(deployment, ct).ConfigureAwait(false) : null,
            await store.RunHistoryAsync(id, ct).ConfigureAwait(false),
            await store.TaskRunsAsync(id, ct).ConfigureAwait(false),
            await store.TaskRunStatesAsync(id, ct).ConfigureAwait(false),
            await store.LogsAsync(id, after, LogPage, ct).ConfigureAwait(false),
            LogPage);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The live endpoint's answer.</summary>
    internal sealed record LiveRun(string State, bool Done, string Details, IReadOnlyList<LiveLog> Logs);

    /// <summary>One log line for the live view; <paramref name="Source"/> is who wrote it (<see cref="LogDto.Writer"/>).</summary>
    internal sealed record LiveLog(long Id, string Time, string Level, string Source, string Message);
}
