namespace Weir.Testing;

/// <summary>The Weir checkout the tests (or the bench) run from.</summary>
public static class Repo
{
    /// <summary>The checkout's root: the folder holding Weir.slnx, found from the binaries' folder up, else from the current folder up.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The path of a script in tests/infra, e.g. <c>Repo.Infra("postgres.sh")</c>.</summary>
    public static string Infra(string script) => Path.Combine(Root, "tests", "infra", script);

    /// <summary>The folder holding Weir.slnx at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string FindRoot() =>
        FindRoot(AppContext.BaseDirectory) ?? FindRoot(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException($"No Weir.slnx above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}: run the tests and the bench from inside the Weir checkout.");
}
