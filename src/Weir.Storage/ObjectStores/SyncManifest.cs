using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Weir.Storage.ObjectStores;

/// <summary>
/// The list of a pushed project's files (relative path → SHA-256 and size), stored next to the files
/// as <c>.weir-manifest.json</c>. Its own hash names the exact code a run got.
/// </summary>
internal sealed class SyncManifest
{
    private const int Version = 1;

    public SyncManifest(IReadOnlyDictionary<string, ManifestEntry> files)
    {
        Files = new SortedDictionary<string, ManifestEntry>(files.ToDictionary(), StringComparer.Ordinal);
        Hash = ComputeHash(Files);
    }

    public static SyncManifest Empty { get; } = new(new Dictionary<string, ManifestEntry>());

    public IReadOnlyDictionary<string, ManifestEntry> Files { get; }

    /// <summary>SHA-256 (hex) over the sorted "path, hash, size" lines, so formatting never changes it.</summary>
    public string Hash { get; }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("hash", Hash);
            writer.WriteStartObject("files");
            foreach (var (path, entry) in Files)
            {
                writer.WriteStartObject(path);
                writer.WriteString("sha256", entry.Sha256);
                writer.WriteNumber("size", entry.Size);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a manifest; <paramref name="where"/> names it in errors.</summary>
    public static SyncManifest Parse(byte[] json, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.TryGetProperty("version", out var version) && version.GetInt32() > Version)
            {
                throw new ObjectStoreException($"the manifest {where} was written by a newer Weir (format {version.GetInt32()}); update the worker.");
            }

            var files = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
            foreach (var file in root.GetProperty("files").EnumerateObject())
            {
                var sha = file.Value.GetProperty("sha256").GetString() ?? string.Empty;
                files[file.Name] = new ManifestEntry(sha, file.Value.GetProperty("size").GetInt64());
            }

            return new SyncManifest(files);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ObjectStoreException($"the manifest {where} is not valid ({ex.Message}); push the project again.", ex);
        }
    }

    private static string ComputeHash(IReadOnlyDictionary<string, ManifestEntry> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, entry) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{path}\t{entry.Sha256}\t{entry.Size}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
