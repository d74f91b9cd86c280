using System.Security.Cryptography;
using Weir.Storage.Ignore;

namespace Weir.Storage.ObjectStores;

/// <summary>Walks a project folder with its ignore rules and hashes what is left.</summary>
internal static class LocalFiles
{
    /// <summary>
    /// The files under <paramref name="root"/> that the rules keep, with their hashes. Folders that are
    /// left out are not entered; <c>.weirignore</c> files in sub-folders add rules for their folder;
    /// symbolic links to folders are not followed (they could loop or leave the project).
    /// </summary>
    public static async Task<SyncManifest> ScanAsync(string root, IgnoreMatcher matcher, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        Walk(root, string.Empty, matcher, paths);
        var entries = new ManifestEntry[paths.Count];
        await Parallel.ForAsync(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            entries[i] = await HashAsync(Path.Combine(root, paths[i]), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return new SyncManifest(paths.Select((p, i) => (p, entries[i])).ToDictionary(e => e.p, e => e.Item2, StringComparer.Ordinal));
    }

    /// <summary>The SHA-256 and size of a file, read streamed.</summary>
    public static async Task<ManifestEntry> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return new ManifestEntry(Convert.ToHexStringLower(hash), stream.Length);
        }
    }

    private static void Walk(string root, string relative, IgnoreMatcher matcher, List<string> paths)
    {
        var directory = relative.Length == 0 ? root : Path.Combine(root, relative);
        var nested = Path.Combine(directory, DefaultWeirIgnore.FileName);
        if (relative.Length > 0 && File.Exists(nested))
        {
            matcher.Add(File.ReadAllText(nested), relative);
        }

        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            var isDirectory = entry is DirectoryInfo;
            if (matcher.IsEntryIgnored(path, isDirectory) || (relative.Length == 0 && ObjectKeys.IsManifest(entry.Name)))
            {
                continue;
            }

            if (isDirectory)
            {
                if (entry.LinkTarget is null)
                {
                    Walk(root, path, matcher, paths);
                }
            }
            else if (entry is FileInfo { Exists: true })
            {
                paths.Add(path);
            }
        }
    }
}
