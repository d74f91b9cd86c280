using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// The push half of an object-store pair: uploads the working folder (the project) minus what its
/// <c>.weirignore</c> leaves out, only what changed. Outputs the bucket or container and the folder (so
/// pull steps can say <c>{{ push_code.bucket }}</c>) and <c>manifest_hash</c>.
/// </summary>
internal abstract class ObjectStorePushStep : ObjectStoreStep
{
    protected override async Task<Dictionary<string, object?>> SyncAsync(IObjectStore store, string prefix, string container, StepContext context, CancellationToken cancellationToken)
    {
        var result = await ObjectStorePush.RunAsync(store, prefix, context.WorkingDirectory, context.Print, cancellationToken).ConfigureAwait(false);
        OnSynced?.Invoke(result);
        return new Dictionary<string, object?> { ["manifest_hash"] = result.ManifestHash };
    }
}
