using System.Globalization;
using Spectre.Console;
using Weir.Engine;

namespace Weir.Cli.Output;

/// <summary>The consoles the CLI writes to: the real ones, never a run's captured output.</summary>
internal static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(HostConsole.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(HostConsole.Error, Console.IsErrorRedirected);

    /// <summary>
    /// A time of day as the CLI prints it, <c>12:00:01.234</c> in local time. Always the invariant culture: the
    /// process runs with the user's culture (for flow code), and some cultures separate hours with a dot.
    /// </summary>
    public static string Clock(DateTimeOffset time) => time.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A local date and time to the minute or second, invariant like <see cref="Clock"/>.</summary>
    public static string When(DateTimeOffset time, bool seconds = false) =>
        time.ToLocalTime().ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

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
