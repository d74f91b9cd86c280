using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// What the push and pull steps of every object store share: the provider's step name and arguments, the
/// argument naming the bucket or container, the store built from the arguments, and where in it the project
/// lives (<c>folder</c>) with the name of its manifest (<c>manifest</c>). An <see cref="ObjectStoreProvider"/> (S3, GCS, Azure) only says how to build its store.
/// </summary>
internal abstract class ObjectStoreStep(ObjectStoreProvider provider, string name, IReadOnlyCollection<string> ownArguments) : IDryRunStep
{
    public string Name { get; } = name;

    public IReadOnlyCollection<string> Arguments { get; } = [provider.ContainerArgument, "folder", "manifest", "credentials", .. ownArguments];

    /// <summary>"bucket" or "container": the argument naming where the files are, echoed as an output.</summary>
    private string ContainerArgument => provider.ContainerArgument;

    /// <summary>Receives each push's or pull's counts (tests and benchmarks count transfers through it).</summary>
    internal Action<SyncResult>? OnSynced { get; init; }

    /// <summary>True for the push step (the provider may build its store differently for it).</summary>
    protected abstract bool Pushes { get; }

    internal IObjectStore CreateStore(StepArguments arguments, StepContext context) => provider.Create(arguments, context, Name, Pushes);

    public async Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        var container = arguments.GetRequiredString(ContainerArgument);
        var folder = arguments.GetString("folder") ?? string.Empty;
        using var store = CreateStore(arguments, context);
        var prefix = ObjectKeys.Prefix(folder, store.Describe(string.Empty));
        var manifest = ObjectKeys.Manifest(arguments.GetString("manifest"), store.Describe(prefix));
        var outputs = await SyncAsync(store, new ObjectStoreDestination(prefix, manifest, container), context, cancellationToken).ConfigureAwait(false);
        outputs[ContainerArgument] = container;
        outputs["folder"] = folder;
        outputs["manifest"] = manifest;
        return outputs;
    }

    /// <summary>Pushes or pulls at <paramref name="destination"/>; returns the step's own outputs (the shared ones are added).</summary>
    protected abstract Task<Dictionary<string, object?>> SyncAsync(IObjectStore store, ObjectStoreDestination destination, StepContext context, CancellationToken cancellationToken);
}
