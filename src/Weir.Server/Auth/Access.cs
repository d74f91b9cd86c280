using Weir.Client;
using Weir.Server.Storage;

namespace Weir.Server.Auth;

/// <summary>
/// What a worker key or a run token may touch, beyond the role its route needs: a run token its own run, its deployment
/// and the blocks that deployment declares; a worker key its pools, the runs it claimed and the blocks their deployments
/// declare. Each refusal is a 403 that names the run, pool or block and what would allow it.
/// </summary>
internal static class Access
{
    /// <summary>Why <paramref name="caller"/> may not report <paramref name="run"/> (a state, task runs, logs, a heart-beat), or null.</summary>
    public static string? WhyNotReport(Caller caller, FlowRunDto run) => caller.Role switch
    {
        ApiRole.Admin => null,
        ApiRole.Run when caller.Run!.RunId == run.Id => null,
        ApiRole.Run => $"This run token is flow run {caller.Run!.RunId}'s; it may not report flow run {run.Id}.",
        ApiRole.Worker when run.ClaimedBy == caller.Worker!.Name => null,
        ApiRole.Worker => $"Worker key '{caller.Worker!.Name}' did not claim flow run {run.Id} (or no longer holds it): a worker reports only the runs it claimed.",
        _ => "Reporting a run needs a key or the run's token.",
    };

    /// <summary>Refuses a worker key a pool it does not serve.</summary>
    public static void EnsurePool(Caller caller, string pool)
    {
        if (caller.Worker is { } worker && !worker.Serves(pool))
        {
            throw new StoreException(403,
                $"Worker key '{worker.Name}' serves {worker.PoolList}, not the work pool '{pool}'; add the pool to its entry in WEIR_WORKER_API_KEYS ({WorkerKey.Format}).", "pool");
        }
    }

    /// <summary>Refuses a run token any run but its own.</summary>
    public static void EnsureOwnRun(Caller caller, Guid id)
    {
        if (caller.Role == ApiRole.Run && caller.Run!.RunId != id)
        {
            throw new StoreException(403, $"This run token is flow run {caller.Run.RunId}'s; it may not read flow run {id}.", "id");
        }
    }

    /// <summary>Refuses a run token any deployment but its run's.</summary>
    public static async Task EnsureOwnDeploymentAsync(Caller caller, IWeirStore store, string fullName, CancellationToken cancellationToken)
    {
        if (caller.Role == ApiRole.Run && (await RunOfAsync(caller, store, cancellationToken).ConfigureAwait(false)).DeploymentName != fullName)
        {
            throw new StoreException(403, $"This run token may read only its own run's deployment, not '{fullName}'.", "name");
        }
    }

    /// <summary>Refuses a run token a stored build its deployment does not run.</summary>
    public static async Task EnsureOwnBuildAsync(Caller caller, IWeirStore store, string buildId, CancellationToken cancellationToken)
    {
        if (caller.Role != ApiRole.Run)
        {
            return;
        }

        var deployment = await DeploymentOfAsync(caller, store, cancellationToken).ConfigureAwait(false);
        if (deployment?.BuildId != buildId)
        {
            throw new StoreException(403, $"This run token may download only the build its run's deployment runs, not '{buildId}'.", "id");
        }
    }

    /// <summary>
    /// Refuses a block read the caller may not make: a run token reads only the blocks its deployment declares; a worker
    /// key reveals secret fields only of blocks declared by the deployments of the runs it holds.
    /// </summary>
    public static async Task EnsureBlockAsync(Caller caller, IWeirStore store, string type, string name, bool reveal, CancellationToken cancellationToken)
    {
        var block = new BlockReference(type, name);
        if (caller.Role == ApiRole.Run)
        {
            var run = await RunOfAsync(caller, store, cancellationToken).ConfigureAwait(false);
            var deployment = await DeploymentOfAsync(caller, store, cancellationToken).ConfigureAwait(false);
            if (deployment is null || !BlockReference.DeclaredBy(deployment).Contains(block))
            {
                throw new StoreException(403, Undeclared(block, $"flow run {run.Id}", deployment?.FullName ?? run.DeploymentName), "name");
            }
        }
        else if (caller.Role == ApiRole.Worker && reveal)
        {
            var held = await store.DeploymentsClaimedByAsync(caller.Worker!.Name, cancellationToken).ConfigureAwait(false);
            if (!held.Any(d => BlockReference.DeclaredBy(d).Contains(block)))
            {
                throw new StoreException(403, Undeclared(block, $"worker key '{caller.Worker.Name}'", null)
                    .Replace(" may not read", " may not reveal", StringComparison.Ordinal) + " (A worker key reveals only the blocks of the runs it holds.)", "name");
            }
        }
    }

    private static string Undeclared(BlockReference block, string who, string? deployment)
    {
        var entry = block.Type == BlockReference.SecretType ? block.Name : block.ToString();
        return $"{Capital(who)} may not read the {block.Type} block '{block.Name}': "
            + (deployment is null ? "no deployment of its runs declares it. " : $"its deployment '{deployment}' does not declare it. ")
            + $"Refer to it in a pull step, or add it to the deployment's blocks in weir.yaml (blocks: [{entry}]), and deploy again.";
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static async Task<FlowRunDto> RunOfAsync(Caller caller, IWeirStore store, CancellationToken cancellationToken) =>
        await store.GetRunAsync(caller.Run!.RunId, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreException(401, $"The run token of flow run {caller.Run.RunId} is no longer valid: the server has no such run.", "authorization");

    private static async Task<DeploymentDto?> DeploymentOfAsync(Caller caller, IWeirStore store, CancellationToken cancellationToken) =>
        (await RunOfAsync(caller, store, cancellationToken).ConfigureAwait(false)).DeploymentId is { } id
            ? await store.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false)
            : null;
}
