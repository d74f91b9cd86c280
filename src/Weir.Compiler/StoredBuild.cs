using System.IO.Compression;
using System.Text.Json;

namespace Weir.Compiler;

/// <summary>
/// A compiled flow file packed for the server (<c>StoredAsScript = false</c>): the assembly, its
/// symbols, the source it was built from and the flows' structure. Workers install the archive under
/// <c>{WeirHome}/cache/stored-builds/{id}</c> and load exactly that assembly; only the
/// <c>#:package</c> references are restored on the worker, the flow is never compiled again.
/// </summary>
public static class StoredBuild
{
    private const string AssemblyEntry = "flow.dll";
    private const string SymbolsEntry = "flow.pdb";
    private const string RecordEntry = "build.json";
    private const string SourceFolder = "source/";

    // Fixed entry times make the archive of one build byte-for-byte the same every time.
    private static readonly DateTimeOffset s_entryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The id a build is stored under: its cache key.</summary>
    public static string IdOf(CompiledFlowFile build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return build.CacheKey;
    }

    /// <summary>Packs a build into a zip archive.</summary>
    public static byte[] Pack(CompiledFlowFile build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, AssemblyEntry, File.ReadAllBytes(build.AssemblyPath));
            var pdb = Path.ChangeExtension(build.AssemblyPath, ".pdb");
            if (File.Exists(pdb))
            {
                Add(zip, SymbolsEntry, File.ReadAllBytes(pdb));
            }

            var name = Path.GetFileName(build.SourcePath);
            Add(zip, SourceFolder + name, File.ReadAllBytes(build.SourcePath));
            var record = new BuildRecord(name, build.Flows, [], s_entryTime);
            Add(zip, RecordEntry, JsonSerializer.SerializeToUtf8Bytes(record, CacheJsonContext.Default.BuildRecord));
        }

        return buffer.ToArray();
    }

    /// <summary>The installed build with this id, or null when this machine does not have it yet.</summary>
    public static CompiledFlowFile? TryLoad(FlowCompilerOptions options, string id)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Folder(options, id);
        return FlowCompiler.TryReadCache(folder) is { } record
            ? new CompiledFlowFile(Path.Combine(folder, record.SourcePath), id, Path.Combine(folder, AssemblyEntry), record.PackageAssemblies, record.Flows, CacheHit: true, TimeSpan.Zero)
            : null;
    }

    /// <summary>Installs an archive made by <see cref="Pack"/>, restoring its <c>#:package</c> references on this machine.</summary>
    public static async Task<CompiledFlowFile> InstallAsync(FlowCompilerOptions options, string id, byte[] archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(archive);
        if (TryLoad(options, id) is { } installed)
        {
            return installed;
        }

        var folder = Folder(options, id);
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, "source"));
            BuildRecord record;
            using (var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read))
            {
                var recordEntry = zip.GetEntry(RecordEntry) ?? throw new InvalidDataException($"The stored build {id} has no {RecordEntry}.");
                await using (var stream = await recordEntry.OpenAsync(cancellationToken).ConfigureAwait(false))
                {
                    record = await JsonSerializer.DeserializeAsync(stream, CacheJsonContext.Default.BuildRecord, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidDataException($"The stored build {id} has an empty {RecordEntry}.");
                }

                foreach (var entry in new[] { AssemblyEntry, SymbolsEntry, SourceFolder + Path.GetFileName(record.SourcePath) })
                {
                    if (zip.GetEntry(entry) is { } found)
                    {
                        await found.ExtractToFileAsync(Path.Combine(staging, entry), overwrite: true, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var sourcePath = Path.Combine(staging, "source", Path.GetFileName(record.SourcePath));
            var packages = await new PackageRestorer(options.WeirHome, options.Progress).RestoreAsync(FlowSource.Read(sourcePath), cancellationToken).ConfigureAwait(false);
            var local = record with { SourcePath = "source/" + Path.GetFileName(record.SourcePath), PackageAssemblies = packages.RuntimeAssemblies };
            await File.WriteAllBytesAsync(Path.Combine(staging, RecordEntry), JsonSerializer.SerializeToUtf8Bytes(local, CacheJsonContext.Default.BuildRecord), cancellationToken).ConfigureAwait(false);
            FlowCompiler.Publish(staging, folder);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return TryLoad(options, id) ?? throw new InvalidDataException($"The stored build {id} could not be installed under {folder}.");
    }

    private static string Folder(FlowCompilerOptions options, string id)
    {
        if (id.Length == 0 || !id.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{id}' is not a build id.", nameof(id));
        }

        return Path.Combine(options.WeirHome, "cache", "stored-builds", id);
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = s_entryTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
