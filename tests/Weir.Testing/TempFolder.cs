namespace Weir.Testing;

/// <summary>A new folder under the temp folder, removed (with what it holds) when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates <c>$TMPDIR/PREFIXrandom</c>.</summary>
    public TempFolder(string prefix = "weir-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Delete(Path);

    /// <summary>Creates <c>$TMPDIR/PREFIXrandom</c> and returns its path; nothing removes it (for a test's scratch homes).</summary>
    public static string New(string prefix = "weir-test-") => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Removes a folder and what it holds if it is there; what a process still ending holds open is left behind.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
