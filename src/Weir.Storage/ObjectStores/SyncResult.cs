namespace Weir.Storage.ObjectStores;

/// <summary>What one push or pull did: how many files it moved and why, the bytes moved and the manifest it ended on.</summary>
internal sealed record SyncResult
{
    /// <summary>Files in the project (after ignore rules).</summary>
    public int Files { get; init; }

    /// <summary>Objects under the folder a push left alone because Weir did not upload them (or another manifest lists them).</summary>
    public int Kept { get; init; }

    /// <summary>Files transferred because their content changed.</summary>
    public int Changed { get; init; }

    /// <summary>Files transferred because the other side did not have them.</summary>
    public int New { get; init; }

    /// <summary>Files removed because the project no longer has them (push: only files an earlier push of the same manifest uploaded).</summary>
    public int Deleted { get; init; }

    /// <summary>Files uploaded (push) or downloaded (pull): <see cref="Changed"/> + <see cref="New"/>.</summary>
    public int Transferred => Changed + New;

    /// <summary>Bytes of file content moved (the manifest not counted).</summary>
    public long BytesTransferred { get; init; }

    /// <summary>The SHA-256 of the manifest, which identifies the exact code.</summary>
    public string ManifestHash { get; init; } = string.Empty;

    /// <summary>The folder holding the files: the project (push) or the worker's cached copy (pull).</summary>
    public string Directory { get; init; } = string.Empty;
}
