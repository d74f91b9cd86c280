using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Weir.Cli.Output;

/// <summary>A logger for long-running commands (the worker): one timestamped line per entry on standard error.</summary>
internal sealed class TerminalLogger(bool verbose) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (verbose ? LogLevel.Debug : LogLevel.Information);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var color = logLevel switch { LogLevel.Warning => "yellow", >= LogLevel.Error => "red", _ => "grey" };
        Terminal.Error.MarkupLine($"[grey]{Terminal.Clock(TimeProvider.System.GetUtcNow())}[/] [{color}]{Markup.Escape(TerminalText.Escape(formatter(state, exception), keepLineBreaks: true))}[/]");
    }
}
