using Spectre.Console;
using Weir.Engine;

namespace Weir.Cli.Output;

/// <summary>The consoles the CLI writes to: the real ones, never a run's captured output.</summary>
internal static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(HostConsole.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(HostConsole.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });

        // Lines going to a file or another program are never wrapped: paths and messages stay whole.
        if (redirected)
        {
            console.Profile.Width = 1 << 16;
        }

        return console;
    }
}
