using Spectre.Console;
using Weir.Engine;

namespace Weir.Cli.Output;

/// <summary>The consoles the CLI writes to: the real ones, never a run's captured output.</summary>
internal static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(HostConsole.Out);

    public static IAnsiConsole Error { get; } = Create(HostConsole.Error);

    private static IAnsiConsole Create(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
    });
}
