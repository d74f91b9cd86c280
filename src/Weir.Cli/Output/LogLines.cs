using Spectre.Console;

namespace Weir.Cli.Output;

/// <summary>
/// The one shape of a run's log and state lines in the terminal, for <c>weir run</c>, <c>--watch</c> and
/// <c>weir flow-run logs</c>: <c>12:00:01.234 | INFO    | Task run 'GetData-0' - message</c>. What came from the
/// run is escaped (<see cref="TerminalText"/>); continuation lines of a message line up under its first line.
/// </summary>
internal static class LogLines
{
    // "12:00:01.234 | INFO    | " is 26 characters.
    private static readonly string s_continuation = "\n" + new string(' ', 26);

    /// <summary>The line as Spectre markup. <paramref name="level"/> is INFO, WARNING…, or STATE; <paramref name="color"/> colours the message.</summary>
    public static string Markup(DateTimeOffset time, string level, string who, string message, string? color = null)
    {
        var levelMarkup = level switch
        {
            "STATE" => "[bold]STATE[/]  ",
            _ => $"[{LevelColor(level)}]{Spectre.Console.Markup.Escape(level),-7}[/]",
        };
        var body = Spectre.Console.Markup.Escape(TerminalText.Escape(message, keepLineBreaks: true).Replace("\n", s_continuation, StringComparison.Ordinal));
        return $"[grey]{Terminal.Clock(time)}[/] | {levelMarkup} | {Spectre.Console.Markup.Escape(TerminalText.Escape(who))} - "
            + (color is null ? body : $"[{color}]{body}[/]");
    }

    private static string LevelColor(string level) => level switch
    {
        "TRACE" or "DEBUG" => "grey",
        "WARNING" => "yellow",
        "ERROR" or "CRITICAL" => "red",
        _ => "blue",
    };
}
