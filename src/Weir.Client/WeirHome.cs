namespace Weir.Client;

/// <summary>Where Weir keeps its files on a machine (database, caches, run folders, keys): one rule for the server, workers and the CLI.</summary>
public static class WeirHome
{
    /// <summary>The <c>WEIR_HOME</c> folder, else <c>~/.weir</c>.</summary>
    public static string Default() =>
        Environment.GetEnvironmentVariable("WEIR_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".weir");
}
