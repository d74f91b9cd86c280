namespace Weir.Client;

/// <summary>Where Weir keeps its files on a machine (database, caches, run folders, keys): one rule for the server, workers and the CLI.</summary>
public static class WeirHome
{
    /// <summary>The <c>WEIR_HOME</c> folder, else <c>~/.weir</c>.</summary>
    public static string Default() =>
        Environment.GetEnvironmentVariable("WEIR_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".weir");

    /// <summary>
    /// Creates <paramref name="path"/> and any missing parent folders readable by their owner only (mode 0700 on Unix),
    /// as Weir's home and the folders for its files should be: they hold the database, the secret key and run folders.
    /// A folder that exists already is left as it is. Returns the full path.
    /// </summary>
    public static string Create(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only: create each missing one in turn.
        var missing = new Stack<string>();
        for (var folder = full; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        foreach (var folder in missing)
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return full;
    }
}
