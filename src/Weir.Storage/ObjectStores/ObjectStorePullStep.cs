using System.Globalization;
using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// The pull half of an object-store pair: brings the worker's cached copy up to date (only what changed)
/// and gives the run its own copy in a sub-folder of the run folder, which becomes the working folder.
/// Outputs <c>directory</c>, <c>manifest_hash</c> (the exact code the run got), and the bucket or
/// container and folder.
/// </summary>
internal abstract class ObjectStorePullStep : IStep
{
    public abstract string Name { get; }

    public abstract IReadOnlyCollection<string> Arguments { get; }

    /// <summary>"bucket" or "container".</summary>
    protected abstract string ContainerArgument { get; }

    /// <summary>Receives each pull's counts (tests and benchmarks count transfers through it).</summary>
    internal Action<SyncResult>? OnSynced { get; init; }

    internal abstract IObjectStore CreateStore(StepArguments arguments, StepContext context);

    public async Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        var container = arguments.GetRequiredString(ContainerArgument);
        var folder = arguments.GetString("folder") ?? string.Empty;
        using var store = CreateStore(arguments, context);
        var prefix = ObjectKeys.Prefix(folder, store.Describe(string.Empty));
        var name = prefix.Length > 0 ? prefix.TrimEnd('/').Split('/')[^1] : container;
        var destination = Path.Combine(context.WorkingDirectory, name);
        var result = await ObjectStorePull.RunAsync(store, prefix, context.CacheDirectory, destination, cancellationToken).ConfigureAwait(false);
        OnSynced?.Invoke(result);
        context.Print(string.Create(CultureInfo.InvariantCulture,
            $"Pulled {ObjectStorePush.N(result.Files)} files from {store.Describe(prefix)}: downloaded {ObjectStorePush.N(result.Transferred)} ({ObjectStorePush.Size(result.BytesTransferred)}), removed {ObjectStorePush.N(result.Deleted)}; manifest {result.ManifestHash[..12]}"));
        context.WorkingDirectory = destination;
        return new Dictionary<string, object?>
        {
            ["directory"] = destination,
            ["manifest_hash"] = result.ManifestHash,
            [ContainerArgument] = container,
            ["folder"] = folder,
        };
    }
}
