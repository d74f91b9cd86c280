namespace Weir.Bench;

/// <summary>The checkout the bench runs in, and the bench's scratch folders.</summary>
internal static class Repo
{
    /// <summary>The checkout's root (<see cref="Weir.Testing.Repo.Root"/>).</summary>
    public static string Root => Weir.Testing.Repo.Root;

    /// <summary>A new folder <c>$TMPDIR/weir-bench/NAME-random</c>.</summary>
    public static string TempHome(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "weir-bench", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
