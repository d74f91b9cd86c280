using System.Security.Cryptography;
using System.Text;
using Weir.Storage.Ignore;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// Pull: brings the worker's cached copy of a pushed folder up to its manifest (downloading only files
/// whose hash differs, removing files the manifest no longer lists), then gives the run its own copy.
/// The cache is locked (across processes too) while it changes and while the run's copy is made, and
/// every download is checked against its manifest hash, so a push that is still under way can never
/// leave a run with half of one version and half of another.
/// </summary>
internal static class ObjectStorePull
{
    private const int Parallelism = 8;
    private const int Attempts = 4;

    public static async Task<SyncResult> RunAsync(IObjectStore store, ObjectStoreDestination source, string cacheDirectory, string destination, CancellationToken cancellationToken)
    {
        var prefix = source.Prefix;
        var entry = CachePath(cacheDirectory, store, source);
        var files = Path.Combine(entry, "files");
        Directory.CreateDirectory(files);
        using var _ = await AcquireLockAsync(entry + ".lock", cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            var remote = await ReadManifestAsync(store, source, files, cancellationToken).ConfigureAwait(false);
            var (result, torn) = await UpdateCacheAsync(store, prefix, entry, files, remote, cancellationToken).ConfigureAwait(false);
            if (torn is null)
            {
                Snapshot(files, remote, destination);
                return result with { Directory = destination };
            }

            if (attempt == Attempts)
            {
                throw new ObjectStoreException($"the object {store.Describe(prefix + torn)} does not match its manifest entry after {Attempts} tries: a push may still be running, or something other than Weir changed the folder. Push the project again.");
            }

            // A push is replacing files under this manifest; its new manifest is written last.
            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The cache folder for one store, bucket, folder prefix and manifest (two flows under one folder keep their own copies).</summary>
    public static string CachePath(string cacheDirectory, IObjectStore store, ObjectStoreDestination source)
    {
        var prefix = source.Prefix;
        var identity = store.CacheIdentity + "\n" + prefix + (source.Manifest == ObjectKeys.ManifestName ? string.Empty : "\n" + source.Manifest);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        var readable = new string([.. (store.Kind + "-" + prefix.TrimEnd('/')).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-')]);
        return Path.Combine(cacheDirectory, "objects", $"{readable.TrimEnd('-')}-{hash}");
    }

    private static async Task<SyncManifest> ReadManifestAsync(IObjectStore store, ObjectStoreDestination source, string files, CancellationToken cancellationToken)
    {
        var (prefix, name, _) = source;
        var key = source.ManifestKey;
        var bytes = await store.TryDownloadBytesAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new ObjectStoreException($"found no pushed project at {store.Describe(prefix)} (there is no {name}): push it first with the matching push step, the same bucket or container, the same folder and the same manifest name.");
        var manifest = SyncManifest.Parse(bytes, store.Describe(key));
        foreach (var path in manifest.Files.Keys)
        {
            ObjectKeys.LocalPath(files, path, store.Describe(prefix + path));
        }

        return manifest;
    }

    private static async Task<(SyncResult Result, string? Torn)> UpdateCacheAsync(IObjectStore store, string prefix, string entry, string files, SyncManifest remote, CancellationToken cancellationToken)
    {
        var state = Path.Combine(entry, "manifest.json");
        var cached = await ReadCachedAsync(state, files, cancellationToken).ConfigureAwait(false);
        var changed = new List<string>();
        var added = new List<string>();
        foreach (var (path, wanted) in remote.Files)
        {
            var local = Path.Combine(files, path);
            var have = cached.Files.TryGetValue(path, out var c) ? c : null;
            if (have != wanted || !File.Exists(local) || new FileInfo(local).Length != wanted.Size)
            {
                (have is null ? added : changed).Add(path);
            }
        }

        var deleted = cached.Files.Keys.Where(p => !remote.Files.ContainsKey(p)).ToList();
        if (changed.Count + added.Count + deleted.Count > 0)
        {
            // Until the new state is written, the cache's contents are vouched for by nothing.
            File.Delete(state);
        }

        var staging = Path.Combine(entry, "incoming");
        Directory.CreateDirectory(staging);
        string? torn = null;
        long bytes = 0;
        await Parallel.ForEachAsync(changed.Concat(added), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (path, ct) =>
        {
            var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N"));
            await store.DownloadFileAsync(prefix + path, temporary, ct).ConfigureAwait(false);
            var got = await LocalFiles.HashAsync(temporary, ct).ConfigureAwait(false);
            Interlocked.Add(ref bytes, got.Size);
            if (got != remote.Files[path])
            {
                File.Delete(temporary);
                Interlocked.CompareExchange(ref torn, path, null);
                return;
            }

            var target = Path.Combine(files, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temporary, target, overwrite: true);
        }).ConfigureAwait(false);

        if (torn is not null)
        {
            return (new SyncResult(), torn);
        }

        foreach (var path in deleted)
        {
            File.Delete(Path.Combine(files, path));
        }

        RemoveEmptyFolders(files);
        await File.WriteAllBytesAsync(state, remote.ToJson(), cancellationToken).ConfigureAwait(false);
        return (new SyncResult
        {
            Files = remote.Files.Count,
            Changed = changed.Count,
            New = added.Count,
            Deleted = deleted.Count,
            BytesTransferred = bytes,
            ManifestHash = remote.Hash,
        }, null);
    }

    /// <summary>The cache's state; when it was lost (or a pull stopped half-way) the cached files are hashed again instead of downloaded again.</summary>
    private static async Task<SyncManifest> ReadCachedAsync(string state, string files, CancellationToken cancellationToken)
    {
        if (File.Exists(state))
        {
            try
            {
                return SyncManifest.Parse(await File.ReadAllBytesAsync(state, cancellationToken).ConfigureAwait(false), state);
            }
            catch (ObjectStoreException)
            {
                // Fall through to re-hashing.
            }
        }

        return await LocalFiles.ScanAsync(files, new IgnoreMatcher(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run's own copy. Copies, not hard links: a linked file shares its content with the cache, so
    /// a run that edits a file would change the cache (and other runs), and root ignores read-only bits.
    /// </summary>
    private static void Snapshot(string files, SyncManifest manifest, string destination)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        Directory.CreateDirectory(destination);
        foreach (var path in manifest.Files.Keys)
        {
            var target = Path.Combine(destination, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(files, path), target);
        }
    }

    private static void RemoveEmptyFolders(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveEmptyFolders(child);
            if (!Directory.EnumerateFileSystemEntries(child).Any())
            {
                Directory.Delete(child);
            }
        }
    }

    private static async Task<IDisposable> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        // FileShare.None takes an exclusive flock on Unix, so it also excludes other worker processes.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
