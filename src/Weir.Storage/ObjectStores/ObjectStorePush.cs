using System.Diagnostics;
using System.Globalization;
using Weir.Storage.Ignore;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// Push: uploads the project's files that the remote folder does not have with the same content,
/// writes the destination's manifest, then removes the files that manifest listed from an earlier push
/// and the project no longer has. Nothing else under the folder is ever removed: objects Weir did not
/// upload, and files another manifest there lists (another flow or destination), are left alone; with
/// no readable manifest of its own a push removes nothing. The manifest is written after the uploads so
/// a pull never sees a manifest whose files are missing.
/// </summary>
internal static class ObjectStorePush
{
    private const int Parallelism = 8;
    private const int ListedNames = 50;

    public static async Task<SyncResult> RunAsync(IObjectStore store, ObjectStoreDestination destination, string projectDirectory, Action<string> print, bool dryRun, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var prefix = destination.Prefix;
        var where = store.Describe(prefix);
        var matcher = LoadIgnore(projectDirectory, print);
        var local = await LocalFiles.ScanAsync(projectDirectory, matcher, cancellationToken).ConfigureAwait(false);
        var previousBytes = await store.TryDownloadBytesAsync(destination.ManifestKey, cancellationToken).ConfigureAwait(false);
        var previous = previousBytes is null ? null : TryParse(previousBytes, store.Describe(destination.ManifestKey));
        var listed = await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
        var remote = listed.Where(o => o.Key != destination.ManifestKey).ToDictionary(o => o.Key[prefix.Length..], o => o.Size, StringComparer.Ordinal);

        // A file is uploaded when the last manifest does not vouch for the remote copy: new, changed,
        // or missing/resized remotely (someone deleted it, or an earlier push stopped half-way).
        var changed = new List<string>();
        var added = new List<string>();
        var replaced = new List<string>();
        foreach (var (path, entry) in local.Files)
        {
            ManifestEntry? before = null;
            var ours = previous is not null && previous.Files.TryGetValue(path, out before);
            var vouched = ours && before == entry;
            var present = remote.TryGetValue(path, out var size) && size == entry.Size;
            if (!vouched || !present)
            {
                (remote.ContainsKey(path) || ours ? changed : added).Add(path);
                if (remote.ContainsKey(path) && !ours)
                {
                    replaced.Add(path);
                }
            }
        }

        var removed = await RemovableAsync(store, destination, local, previous, remote, cancellationToken).ConfigureAwait(false);
        var kept = remote.Keys.Count(p => !local.Files.ContainsKey(p) && !removed.Contains(p) && !ObjectKeys.IsManifest(p.Split('/')[^1]));
        var upload = changed.Concat(added).ToList();
        var result = new SyncResult
        {
            Files = local.Files.Count,
            Changed = changed.Count,
            New = added.Count,
            Deleted = removed.Count,
            Kept = kept,
            ManifestHash = local.Hash,
            Directory = projectDirectory,
        };

        if (previous is null && remote.Count > 0)
        {
            print(previousBytes is null
                ? $"{where} has no {destination.Manifest} (no earlier push of this project there): nothing there is removed."
                : $"The manifest {store.Describe(destination.ManifestKey)} is not readable: uploading every file and removing nothing.");
        }

        var verb = dryRun ? "Would upload" : "Uploading";
        print($"{verb} {N(upload.Count)} of {N(local.Files.Count)} files ({N(changed.Count)} changed, {N(added.Count)} new) to {where}, remove {N(removed.Count)} that an earlier push uploaded, keep {N(kept)} other {(kept == 1 ? "object" : "objects")}");
        if (replaced.Count > 0)
        {
            print($"{(dryRun ? "Would replace" : "Replacing")} {N(replaced.Count)} {(replaced.Count == 1 ? "object" : "objects")} Weir had not uploaded, which the project has files for: {Names(replaced)}");
        }

        if (dryRun)
        {
            foreach (var path in changed.Order(StringComparer.Ordinal).Take(ListedNames))
            {
                print($"  upload (changed)  {path}");
            }

            foreach (var path in added.Order(StringComparer.Ordinal).Take(ListedNames))
            {
                print($"  upload (new)      {path}");
            }

            foreach (var path in removed.Order(StringComparer.Ordinal).Take(ListedNames))
            {
                print($"  remove            {path}");
            }

            print($"Dry run: nothing was uploaded or removed at {where}.");
            return result;
        }

        var bytes = 0L;
        var done = 0;
        var lastReport = Stopwatch.StartNew();
        await Parallel.ForEachAsync(upload, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (path, ct) =>
        {
            await store.UploadFileAsync(prefix + path, Path.Combine(projectDirectory, path), ct).ConfigureAwait(false);
            var total = Interlocked.Add(ref bytes, local.Files[path].Size);
            var count = Interlocked.Increment(ref done);
            lock (lastReport)
            {
                if (count < upload.Count && lastReport.Elapsed > TimeSpan.FromSeconds(1))
                {
                    print($"Uploaded {N(count)} of {N(upload.Count)} files ({Size(total)})");
                    lastReport.Restart();
                }
            }
        }).ConfigureAwait(false);

        if (upload.Count > 0 || removed.Count > 0 || previous is null || previous.Hash != local.Hash)
        {
            await store.UploadBytesAsync(destination.ManifestKey, local.ToJson(), cancellationToken).ConfigureAwait(false);
        }

        if (removed.Count > 0)
        {
            await store.DeleteAsync([.. removed.Order(StringComparer.Ordinal).Select(p => prefix + p)], cancellationToken).ConfigureAwait(false);
        }

        print($"Pushed {N(local.Files.Count)} files to {where}: uploaded {N(upload.Count)} ({Size(bytes)}), unchanged {N(local.Files.Count - upload.Count)}, removed {N(removed.Count)}, kept {N(kept)} other, in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s; manifest {local.Hash[..12]}");
        return result with { BytesTransferred = bytes };
    }

    /// <summary>The project's <c>.weirignore</c>, or the default rules (with a note) when it has none.</summary>
    public static IgnoreMatcher LoadIgnore(string projectDirectory, Action<string> print)
    {
        var file = Path.Combine(projectDirectory, DefaultWeirIgnore.FileName);
        if (File.Exists(file))
        {
            return IgnoreMatcher.Parse(File.ReadAllText(file));
        }

        print($"No {DefaultWeirIgnore.FileName} in {projectDirectory}: leaving out bin/, obj/, .git/ and the other default entries ('weir init' writes the file).");
        return IgnoreMatcher.Parse(DefaultWeirIgnore.Text);
    }

    /// <summary>
    /// What this push may remove: files its own previous manifest lists, that the project no longer has,
    /// that are still there at the size that manifest recorded (a replaced object is someone else's now),
    /// and that no other manifest under the folder lists (another flow's or destination's files).
    /// </summary>
    private static async Task<HashSet<string>> RemovableAsync(IObjectStore store, ObjectStoreDestination destination, SyncManifest local, SyncManifest? previous,
        Dictionary<string, long> remote, CancellationToken cancellationToken)
    {
        var removable = new HashSet<string>(StringComparer.Ordinal);
        if (previous is null)
        {
            return removable;
        }

        foreach (var (path, entry) in previous.Files)
        {
            if (!local.Files.ContainsKey(path) && remote.TryGetValue(path, out var size) && size == entry.Size)
            {
                removable.Add(path);
            }
        }

        if (removable.Count == 0)
        {
            return removable;
        }

        foreach (var manifest in remote.Keys.Where(p => ObjectKeys.IsManifest(p.Split('/')[^1])).ToList())
        {
            var folder = manifest.Contains('/', StringComparison.Ordinal) ? manifest[..(manifest.LastIndexOf('/') + 1)] : string.Empty;
            var bytes = await store.TryDownloadBytesAsync(destination.Prefix + manifest, cancellationToken).ConfigureAwait(false);
            if (bytes is not null && TryParse(bytes, store.Describe(destination.Prefix + manifest)) is { } other)
            {
                removable.ExceptWith(other.Files.Keys.Select(p => folder + p));
            }
            else
            {
                // A manifest that cannot be read could list anything in its folder: keep all of it.
                removable.RemoveWhere(p => p.StartsWith(folder, StringComparison.Ordinal));
            }
        }

        return removable;
    }

    private static SyncManifest? TryParse(byte[] bytes, string where)
    {
        try
        {
            return SyncManifest.Parse(bytes, where);
        }
        catch (ObjectStoreException)
        {
            return null;
        }
    }

    private static string Names(List<string> paths) =>
        string.Join(", ", paths.Order(StringComparer.Ordinal).Take(10)) + (paths.Count > 10 ? $" and {N(paths.Count - 10)} more" : string.Empty);

    internal static string N(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };
}
