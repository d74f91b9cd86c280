using System.Diagnostics;
using System.Globalization;
using Weir.Storage.Ignore;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// Push: uploads the project's files that the remote folder does not have with the same content,
/// writes the manifest, then deletes remote files the project no longer has. The manifest is written
/// after the uploads so a pull never sees a manifest whose files are missing.
/// </summary>
internal static class ObjectStorePush
{
    private const int Parallelism = 8;

    public static async Task<SyncResult> RunAsync(IObjectStore store, string prefix, string projectDirectory, Action<string> print, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var matcher = LoadIgnore(projectDirectory, print);
        var local = await LocalFiles.ScanAsync(projectDirectory, matcher, cancellationToken).ConfigureAwait(false);
        var manifestKey = prefix + ObjectKeys.ManifestName;
        var previousBytes = await store.TryDownloadBytesAsync(manifestKey, cancellationToken).ConfigureAwait(false);
        var previous = previousBytes is null ? SyncManifest.Empty : SafeParse(previousBytes, store.Describe(manifestKey), print);
        var remote = (await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            .Where(o => o.Key != manifestKey)
            .ToDictionary(o => o.Key[prefix.Length..], o => o.Size, StringComparer.Ordinal);

        // A file is uploaded when the last manifest does not vouch for the remote copy: new, changed,
        // or missing/resized remotely (someone deleted it, or an earlier push stopped half-way).
        var changed = new List<string>();
        var added = new List<string>();
        foreach (var (path, entry) in local.Files)
        {
            var vouched = previous.Files.TryGetValue(path, out var before) && before == entry;
            var present = remote.TryGetValue(path, out var size) && size == entry.Size;
            if (!vouched || !present)
            {
                (remote.ContainsKey(path) || previous.Files.ContainsKey(path) ? changed : added).Add(path);
            }
        }

        var deleted = remote.Keys.Where(p => !local.Files.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        var upload = changed.Concat(added).ToList();
        print($"Uploading {N(upload.Count)} of {N(local.Files.Count)} files ({N(changed.Count)} changed, {N(added.Count)} new, {N(deleted.Count)} deleted) to {store.Describe(prefix)}");

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

        if (upload.Count > 0 || deleted.Count > 0 || previousBytes is null || previous.Hash != local.Hash)
        {
            await store.UploadBytesAsync(manifestKey, local.ToJson(), cancellationToken).ConfigureAwait(false);
        }

        if (deleted.Count > 0)
        {
            await store.DeleteAsync([.. deleted.Select(p => prefix + p)], cancellationToken).ConfigureAwait(false);
        }

        print($"Pushed {N(local.Files.Count)} files to {store.Describe(prefix)}: uploaded {N(upload.Count)} ({Size(bytes)}), deleted {N(deleted.Count)}, in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s; manifest {local.Hash[..12]}");
        return new SyncResult
        {
            Files = local.Files.Count,
            Changed = changed.Count,
            New = added.Count,
            Deleted = deleted.Count,
            BytesTransferred = bytes,
            ManifestHash = local.Hash,
            Directory = projectDirectory,
        };
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

    private static SyncManifest SafeParse(byte[] bytes, string where, Action<string> print)
    {
        try
        {
            return SyncManifest.Parse(bytes, where);
        }
        catch (ObjectStoreException)
        {
            // A damaged manifest only costs a full upload; the new one replaces it.
            print($"The manifest {where} is not readable; uploading every file.");
            return SyncManifest.Empty;
        }
    }

    internal static string N(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };
}
