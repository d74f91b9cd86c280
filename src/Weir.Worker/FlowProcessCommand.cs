namespace Weir.Worker;

/// <summary>How to start a worker's flow process (<c>Weir.Runner</c>): the program and the arguments before its own.</summary>
public sealed record FlowProcessCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The runner's assembly name: <c>Weir.Runner.dll</c>, with its apphost <c>Weir.Runner</c> beside it where it was built for this machine.</summary>
    public const string RunnerName = "Weir.Runner";

    /// <summary>The runner in <paramref name="folder"/> (default: the folder of the running program, where <c>weir</c> keeps it).</summary>
    /// <exception cref="FileNotFoundException">The folder has no runner.</exception>
    public static FlowProcessCommand Runner(string? folder = null)
    {
        folder ??= AppContext.BaseDirectory;
        var apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? RunnerName + ".exe" : RunnerName);
        if (File.Exists(apphost))
        {
            return new FlowProcessCommand(apphost, []);
        }

        var dll = Path.Combine(folder, RunnerName + ".dll");
        return File.Exists(dll)
            ? FromRunnerAssembly(dll)
            : throw new FileNotFoundException($"The Weir flow runner ({RunnerName}.dll) is not in {folder}; a worker starts it for each flow process. Reinstall weir, or publish src/Weir.Cli, which builds the runner beside it.", dll);
    }

    /// <summary>A runner assembly run through <c>dotnet</c> (tests use the build output).</summary>
    public static FlowProcessCommand FromRunnerAssembly(string runnerDll) => new("dotnet", [runnerDll]);
}
