using System.Xml.Linq;

namespace Weir.Packaging.Tests;

/// <summary>
/// Packs Weir's packages once for the test class into a local folder feed (<c>artifacts/nupkg</c> under a temporary
/// folder, through <c>./pack.sh</c>, as a release would) and installs the <c>weir</c> tool from it. The packages get a
/// version of their own (<c>VERSION-packRANDOM</c>), so nothing a restore or an install cached on this machine can
/// stand in for them, and nothing of theirs is left in the machine's NuGet folders: restores and installs from the
/// feed use a packages folder under the temporary folder, with the machine's as a read-only fallback (the .NET SDK's
/// own packages come from there, or from the machine's NuGet sources, which stay in use beside the feed).
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_long = TimeSpan.FromMinutes(12);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "weir-packaging-tests", Guid.NewGuid().ToString("N")[..12]);

    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The version in Directory.Build.props.</summary>
    public string VersionPrefix { get; private set; } = "";

    /// <summary>The version of the packages packed here.</summary>
    public string Version { get; private set; } = "";

    public string Feed => Path.Combine(Root, "artifacts", "nupkg");

    public string ToolDirectory => Path.Combine(Root, "tools");

    public string Weir => Path.Combine(ToolDirectory, OperatingSystem.IsWindows() ? "weir.exe" : "weir");

    public ProcessResult Pack { get; private set; } = null!;

    public ProcessResult ToolInstall { get; private set; } = null!;

    /// <summary>The environment of every process the tests start from the feed: its own NuGet folders, WEIR_HOME and XDG data folder.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
        // dotnet build FILE.cs puts its build under $XDG_DATA_HOME/dotnet/runfile; NuGet's HTTP cache goes there too.
        ["XDG_DATA_HOME"] = Path.Combine(Root, "xdg"),
        ["WEIR_HOME"] = Path.Combine(Root, "weir-home"),
        ["WEIR_PROFILE"] = null,
        ["WEIR_API_URL"] = null,
        ["WEIR_API_KEY"] = null,
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "xdg"));
        VersionPrefix = XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Version = $"{VersionPrefix}-pack{Guid.NewGuid():N}"[..(VersionPrefix.Length + 17)];
        WriteNuGetConfig(Root);

        // The pack builds with the machine's own NuGet folders, like any build of the repository.
        Pack = await Processes.RunAsync("bash", [Path.Combine(RepoRoot, "pack.sh"), "-o", Feed, $"-p:PackageVersion={Version}"], RepoRoot, new Dictionary<string, string?>(), s_long);
        Pack.ExitCode.ShouldBe(0, Pack.ToString());

        ToolInstall = await DotnetAsync(Root, "tool", "install", "--tool-path", ToolDirectory, "--add-source", Feed, "--version", Version, "Weir.Cli");
        ToolInstall.ExitCode.ShouldBe(0, ToolInstall.ToString());
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    public Task<ProcessResult> DotnetAsync(string workingDirectory, params string[] args) =>
        Processes.RunAsync("dotnet", args, workingDirectory, Environment, s_long);

    public Task<ProcessResult> WeirAsync(string workingDirectory, params string[] args) =>
        Processes.RunAsync(Weir, args, workingDirectory, Environment, TimeSpan.FromMinutes(3));

    /// <summary>A NuGet.config for <paramref name="folder"/> and below: the feed beside the machine's sources (none cleared).</summary>
    public void WriteNuGetConfig(string folder)
    {
        var machinePackages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
              <packageSources>
                <add key="weir-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>The .nupkg (or .snupkg) of <paramref name="id"/> in the feed.</summary>
    public string Package(string id, string extension = ".nupkg") => Path.Combine(Feed, $"{id}.{Version}{extension}");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No Weir.slnx above " + AppContext.BaseDirectory);
    }
}
