using System.CommandLine;

namespace Weir.Cli;

/// <summary>Options every command takes.</summary>
internal static class GlobalOptions
{
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show more detail, and stack traces with errors.",
        Recursive = true,
    };
}
