namespace Weir.Server.Tests.Infrastructure;

internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Weir.slnx above {AppContext.BaseDirectory}.");
    }
}
