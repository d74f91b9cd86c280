using Weir.Server.Ui.Pages;

namespace Weir.Server.Ui;

internal static partial class UiEndpoints
{
    private const string ParamPrefix = "param.";

    private static void MapDeployments(RouteGroupBuilder ui, ApiKeys keys)
    {
        ui.MapGet("/deployments", async (HttpContext http, IWeirStore store) =>
            await PageAsync<Deployments>(http, new()
            {
                ["Chrome"] = Chrome(http, store, keys),
                ["Items"] = await store.ListDeploymentsAsync(http.RequestAborted).ConfigureAwait(false),
                ["Latest"] = (await store.LatestRunOfEachDeploymentAsync(http.RequestAborted).ConfigureAwait(false)).ToDictionary(r => r.DeploymentName!, StringComparer.Ordinal),
            }).ConfigureAwait(false));

        ui.MapGet("/deployments/{flow}/{name}", async (string flow, string name, HttpContext http, IWeirStore store) =>
        {
            if (await store.GetDeploymentAsync(flow, name, http.RequestAborted).ConfigureAwait(false) is not { } deployment)
            {
                await MessageAsync(http, store, keys, 404, "Not found", $"There is no deployment '{flow}/{name}'.").ConfigureAwait(false);
                return;
            }

            await DeploymentPageAsync(http, store, keys, deployment, null, null, StatusCodes.Status200OK).ConfigureAwait(false);
        });

        // The run form: fields named param.NAME; an empty field keeps the deployment's default.
        ui.MapPost("/deployments/{flow}/{name}/run", async (string flow, string name, HttpContext http, IWeirStore store) =>
        {
            var ct = http.RequestAborted;
            if (await store.GetDeploymentAsync(flow, name, ct).ConfigureAwait(false) is not { } deployment)
            {
                await MessageAsync(http, store, keys, 404, "Not found", $"There is no deployment '{flow}/{name}'.").ConfigureAwait(false);
                return;
            }

            var form = await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
            var values = form.Keys.Where(k => k.StartsWith(ParamPrefix, StringComparison.Ordinal))
                .ToDictionary(k => k[ParamPrefix.Length..], k => form[k].ToString().Trim(), StringComparer.Ordinal);
            FlowRunDto? run;
            try
            {
                var parameters = RunForm.Parse(deployment, values);
                run = await store.CreateRunAsync(new NewFlowRun { Deployment = deployment, Parameters = parameters }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or StoreException { Status: 400 })
            {
                await DeploymentPageAsync(http, store, keys, deployment, e.Message, values, StatusCodes.Status422UnprocessableEntity).ConfigureAwait(false);
                return;
            }

            http.Response.Redirect(run is null ? $"/deployments/{deployment.FullName}" : $"/runs/{run.Id}");
        });
    }

    private static async Task DeploymentPageAsync(HttpContext http, IWeirStore store, ApiKeys keys, DeploymentDto deployment, string? error, IReadOnlyDictionary<string, string>? values, int status)
    {
        var runs = await store.ListRunsAsync(new FlowRunFilter { Deployment = deployment.FullName, Limit = 10 }, http.RequestAborted).ConfigureAwait(false);
        await PageAsync<Deployment>(http, new() { ["Model"] = new DeploymentModel(Chrome(http, store, keys), deployment, runs, error, values) }, status).ConfigureAwait(false);
    }
}
