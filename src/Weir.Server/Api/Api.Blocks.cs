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
    private static void MapBlocks(RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Blocks");
        group.MapGet("/block-types", async (IWeirStore store, CancellationToken ct) => Results.Ok(await store.ListBlockTypesAsync(ct).ConfigureAwait(false))).Worker();
        group.MapGet("/blocks", async (string? type, IWeirStore store, CancellationToken ct) => Results.Ok(await store.ListBlocksAsync(type, ct).ConfigureAwait(false))).Worker();
        group.MapGet("/blocks/{type}/{name}", async (string type, string name, bool? reveal, IWeirStore store, HttpContext http, CancellationToken ct) =>
        {
            // The flag must be explicit so that no listing or casual read shows secret values; who may reveal which blocks, Access says.
            var caller = AuthMiddleware.CallerOf(http);
            await Access.EnsureBlockAsync(caller, store, type, name, reveal == true, ct).ConfigureAwait(false);
            var show = reveal == true && caller.Role >= ApiRole.Run;
            return await store.GetBlockAsync(type, name, show, ct).ConfigureAwait(false) is { } block
                ? Results.Ok(block)
                : NotFound($"There is no {type} block named '{name}'; see weir block ls.", "name");
        }).Run();
        group.MapPut("/blocks/{type}/{name}", async (string type, string name, BlockRequest body, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.PutBlockAsync(type, name, body.Fields ?? throw new StoreException(400, "The body needs 'fields', an object of field names to values.", "fields"), ct).ConfigureAwait(false)));
        group.MapDelete("/blocks/{type}/{name}", async (string type, string name, IWeirStore store, CancellationToken ct) =>
            await store.DeleteBlockAsync(type, name, ct).ConfigureAwait(false) ? Results.NoContent() : NotFound($"There is no {type} block named '{name}'.", "name"));
    }

    private static void MapVariables(RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Variables");
        group.MapGet("/variables", async (IWeirStore store, CancellationToken ct) => Results.Ok(await store.ListVariablesAsync(ct).ConfigureAwait(false))).Run();
        group.MapGet("/variables/{name}", async (string name, IWeirStore store, CancellationToken ct) =>
            await store.GetVariableAsync(name, ct).ConfigureAwait(false) is { } variable ? Results.Ok(variable) : NotFound($"There is no variable '{name}'; see weir variable ls.", "name")).Run();
        group.MapPut("/variables/{name}", async (string name, VariableRequest body, IWeirStore store, CancellationToken ct) =>
            Results.Ok(await store.PutVariableAsync(name, body.Value ?? throw new StoreException(400, "The body needs 'value', a text.", "value"), ct).ConfigureAwait(false)));
        group.MapDelete("/variables/{name}", async (string name, IWeirStore store, CancellationToken ct) =>
            await store.DeleteVariableAsync(name, ct).ConfigureAwait(false) ? Results.NoContent() : NotFound($"There is no variable '{name}'.", "name"));
    }
}
