using Weir.Storage.ObjectStores.Azure;
using Weir.Storage.ObjectStores.Gcs;
using Weir.Storage.ObjectStores.S3;
using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// What one object store adds to the push and pull steps every store shares: the steps' names
/// (<c>push_to_SUFFIX</c>, <c>pull_from_SUFFIX</c>), the argument naming the bucket or container, the arguments
/// of its own, and how its store is built from a step's arguments.
/// </summary>
/// <param name="Suffix">The steps' name after <c>push_to_</c> and <c>pull_from_</c>.</param>
/// <param name="ContainerArgument">"bucket" or "container": the argument naming where the files are, echoed as an output.</param>
/// <param name="PushArguments">Arguments the push step takes beyond the shared ones.</param>
/// <param name="PullArguments">Arguments the pull step takes beyond the shared ones.</param>
/// <param name="Create">Builds the store from a step's arguments; the bool is true for the push step.</param>
internal sealed record ObjectStoreProvider(
    string Suffix,
    string ContainerArgument,
    IReadOnlyCollection<string> PushArguments,
    IReadOnlyCollection<string> PullArguments,
    Func<StepArguments, StepContext, string, bool, IObjectStore> Create)
{
    /// <summary>S3 and S3-compatible stores (MinIO, s3rver): <c>push_to_s3</c>, <c>pull_from_s3</c>.</summary>
    public static ObjectStoreProvider S3 { get; } = new("s3", "bucket", ["endpoint_url"], ["endpoint_url"],
        (arguments, context, step, _) => new S3ObjectStore(S3Settings.From(arguments, context, step)));

    /// <summary>Google Cloud Storage: <c>push_to_gcs</c>, <c>pull_from_gcs</c>.</summary>
    public static ObjectStoreProvider Gcs { get; } = new("gcs", "bucket", ["endpoint_url"], ["endpoint_url"],
        (arguments, context, step, _) => new GcsObjectStore(GcsSettings.From(arguments, context, step)));

    /// <summary>
    /// Azure Blob Storage: <c>push_to_azure_blob_storage</c>, <c>pull_from_azure_blob_storage</c>. With
    /// <c>create_container: true</c> on the push, a container that does not exist yet is created by the first push.
    /// </summary>
    public static ObjectStoreProvider Azure { get; } = new("azure_blob_storage", "container", ["create_container"], [],
        (arguments, context, step, push) => new AzureObjectStore(AzureSettings.From(arguments, context, step),
            push && arguments.GetBool("create_container", false) ? new ContainerCreation(context.DryRun, context.Print) : null));

    /// <summary>Every provider, for the step registry.</summary>
    public static IReadOnlyList<ObjectStoreProvider> All { get; } = [S3, Azure, Gcs];
}
