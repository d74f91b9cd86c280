using Weir.Server.Ui.Pages;

namespace Weir.Server.Ui;

internal static partial class UiEndpoints
{
    private static void MapOverview(RouteGroupBuilder ui, WeirServerOptions options, ApiKeys keys)
    {
        ui.MapGet("/", async (HttpContext http, IWeirStore store) =>
        {
            var chrome = Chrome(http, store, keys);
            var ct = http.RequestAborted;
            var day = chrome.Now.AddHours(-24);
            var activity = await store.RunActivityAsync(new DateTimeOffset(day.UtcDateTime.Date.AddHours(day.UtcDateTime.Hour), TimeSpan.Zero), ct).ConfigureAwait(false);
            var late = await store.ListRunsAsync(new FlowRunFilter { StateName = "Late", Limit = 10 }, ct).ConfigureAwait(false);
            var crashed = await store.ListRunsAsync(new FlowRunFilter { State = StateType.Crashed, Limit = 10 }, ct).ConfigureAwait(false);
            var latest = await store.ListRunsAsync(new FlowRunFilter { Limit = 15 }, ct).ConfigureAwait(false);
            var pools = await store.ListPoolsAsync(ct).ConfigureAwait(false);
            var online = pools.SelectMany(p => p.Workers.Where(w => chrome.Now - w.LastHeartbeat <= options.WorkerSilence).Select(w => (p.Name, w))).ToList();
            await PageAsync<Dashboard>(http, new() { ["Model"] = new DashboardModel(chrome, activity, late, crashed, online, latest) }).ConfigureAwait(false);
        });

        ui.MapGet("/flows", async (HttpContext http, IWeirStore store) =>
        {
            var ct = http.RequestAborted;
            await PageAsync<Flows>(http, new()
            {
                ["Chrome"] = Chrome(http, store, keys),
                ["Items"] = await store.ListFlowsAsync(ct).ConfigureAwait(false),
                ["Summaries"] = await store.FlowRunSummariesAsync(ct).ConfigureAwait(false),
                ["Deployments"] = await store.ListDeploymentsAsync(ct).ConfigureAwait(false),
            }).ConfigureAwait(false);
        });

        ui.MapGet("/work-pools", async (HttpContext http, IWeirStore store) =>
            await PageAsync<WorkPools>(http, new()
            {
                ["Chrome"] = Chrome(http, store, keys),
                ["Pools"] = await store.ListPoolsAsync(http.RequestAborted).ConfigureAwait(false),
                ["Silence"] = options.WorkerSilence,
            }).ConfigureAwait(false));

        ui.MapGet("/blocks", async (HttpContext http, IWeirStore store) =>
            await PageAsync<Blocks>(http, new()
            {
                ["Chrome"] = Chrome(http, store, keys),
                // Listings come masked from the store; the page also never prints a secret field's value.
                ["Items"] = await store.ListBlocksAsync(null, http.RequestAborted).ConfigureAwait(false),
                ["Types"] = await store.ListBlockTypesAsync(http.RequestAborted).ConfigureAwait(false),
            }).ConfigureAwait(false));

        ui.MapGet("/variables", async (HttpContext http, IWeirStore store) =>
            await PageAsync<Variables>(http, new()
            {
                ["Chrome"] = Chrome(http, store, keys),
                ["Items"] = await store.ListVariablesAsync(http.RequestAborted).ConfigureAwait(false),
            }).ConfigureAwait(false));
    }
}
