namespace Weir;

/// <summary>
/// A flow kept in an object store. Registration uploads <see cref="LocalScriptPath"/> to
/// <see cref="Key"/> with a manifest of its own (<c>.weir-manifest.FILE.json</c> beside it); workers
/// download what that manifest lists for each run. Several flows may share a folder: registration never
/// removes an object it did not upload for this flow.
/// </summary>
public abstract class ObjectStoreStorage : FlowStorage
{
    /// <summary>The object key of the flow's script, such as <c>flows/my_flow.cs</c>. <value>Defaults to <c>weir/{project}/{file name without extension}/{file name}</c>.</value></summary>
    public string? Key { get; init; }

    /// <summary>The local file uploaded at registration. <value>Defaults to the flow file being registered.</value></summary>
    public string? LocalScriptPath { get; init; }

    /// <summary>The name of a credentials block of the store's type. <value>Defaults to none: workers use their own credentials.</value></summary>
    public string? CredentialsBlock { get; init; }

    /// <summary>The bucket or container name.</summary>
    public abstract string Location { get; }
}
