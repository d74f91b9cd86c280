using System.Globalization;
using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// The pull half of an object-store pair: brings the worker's cached copy up to date (only what changed)
/// and gives the run its own copy in a sub-folder of the run folder, which becomes the working folder.
/// Outputs <c>directory</c>, <c>manifest_hash</c> (the exact code the run got), and the bucket or
/// container and folder.
/// </summary>
internal sealed class ObjectStorePullStep(ObjectStoreProvider provider) : ObjectStoreStep(provider, "pull_from_" + provider.Suffix, provider.PullArguments)
{
    protected override bool Pushes => false;

    protected override async Task<Dictionary<string, object?>> SyncAsync(IObjectStore store, ObjectStoreDestination source, StepContext context, CancellationToken cancellationToken)
    {
        if (context.DryRun)
        {
            throw new StepException("a pull step runs on a worker before each run; it has no dry run.");
        }

        var (prefix, _, container) = source;
        var name = prefix.Length > 0 ? prefix.TrimEnd('/').Split('/')[^1] : container;
        var destination = Path.Combine(context.WorkingDirectory, name);
        var result = await ObjectStorePull.RunAsync(store, source, context.CacheDirectory, destination, cancellationToken).ConfigureAwait(false);
        OnSynced?.Invoke(result);
        context.Print(string.Create(CultureInfo.InvariantCulture,
            $"Pulled {ObjectStorePush.N(result.Files)} files from {store.Describe(prefix)}: downloaded {ObjectStorePush.N(result.Transferred)} ({ObjectStorePush.Size(result.BytesTransferred)}), removed {ObjectStorePush.N(result.Deleted)}; manifest {result.ManifestHash[..12]}"));
        context.WorkingDirectory = destination;
        return new Dictionary<string, object?>
        {
            ["directory"] = destination,
            ["manifest_hash"] = result.ManifestHash,
        };
    }
}
