using System.Reflection;

namespace Weir.Worker;

/// <summary>How to start the <c>weir</c> command for a child flow process: the program and the arguments before <c>flow-run execute</c>.</summary>
public sealed record FlowProcessCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The command of this process, when it is the <c>weir</c> CLI (an apphost, or <c>dotnet Weir.Cli.dll</c>).</summary>
    public static FlowProcessCommand Current()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry is { Length: > 0 }
            ? new FlowProcessCommand(process, [entry])
            : new FlowProcessCommand(process, []);
    }

    /// <summary>The CLI assembly next to a given folder, run through <c>dotnet</c> (tests use the build output).</summary>
    public static FlowProcessCommand FromCliAssembly(string cliDll) => new("dotnet", [cliDll]);
}
