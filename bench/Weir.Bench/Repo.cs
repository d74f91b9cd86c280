namespace Weir.Bench;

internal static class Repo
{
    /// <summary>The checkout's root: the folder holding Weir.slnx, found from the current folder up.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the Weir checkout (no Weir.slnx found above " + Environment.CurrentDirectory + ").");
    }

    public static string TempHome(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "weir-bench", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
