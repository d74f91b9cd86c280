using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// The push half of an object-store pair: uploads the working folder (the project) minus what its
/// <c>.weirignore</c> leaves out, only what changed. Outputs the bucket or container and the folder (so
/// pull steps can say <c>{{ push_code.bucket }}</c>) and <c>manifest_hash</c>.
/// </summary>
internal abstract class ObjectStorePushStep : IStep
{
    public abstract string Name { get; }

    public abstract IReadOnlyCollection<string> Arguments { get; }

    /// <summary>"bucket" or "container": the argument naming where the files go, echoed as an output.</summary>
    protected abstract string ContainerArgument { get; }

    /// <summary>Receives each push's counts (tests and benchmarks count transfers through it).</summary>
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
        var result = await ObjectStorePush.RunAsync(store, prefix, context.WorkingDirectory, context.Print, cancellationToken).ConfigureAwait(false);
        OnSynced?.Invoke(result);
        return new Dictionary<string, object?>
        {
            [ContainerArgument] = container,
            ["folder"] = folder,
            ["manifest_hash"] = result.ManifestHash,
        };
    }
}
