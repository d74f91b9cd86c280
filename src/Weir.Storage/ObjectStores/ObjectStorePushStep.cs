using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// The push half of an object-store pair: uploads the working folder (the project) minus what its
/// <c>.weirignore</c> leaves out, only what changed, and removes only files an earlier push of the same
/// destination uploaded. Outputs the bucket or container, the folder and the manifest (so pull steps can say
/// <c>{{ push_code.bucket }}</c>) and <c>manifest_hash</c>.
/// </summary>
internal sealed class ObjectStorePushStep(ObjectStoreProvider provider) : ObjectStoreStep(provider, "push_to_" + provider.Suffix, provider.PushArguments)
{
    protected override bool Pushes => true;

    protected override async Task<Dictionary<string, object?>> SyncAsync(IObjectStore store, ObjectStoreDestination destination, StepContext context, CancellationToken cancellationToken)
    {
        var result = await ObjectStorePush.RunAsync(store, destination, context.WorkingDirectory, context.Print, context.DryRun, cancellationToken).ConfigureAwait(false);
        OnSynced?.Invoke(result);
        return new Dictionary<string, object?> { ["manifest_hash"] = result.ManifestHash };
    }
}
