using Microsoft.Extensions.Logging;

namespace Weir.Worker.Hosting;

/// <summary>
/// The log of a flow process: one line per message on its real standard error, which its worker reads
/// (the last of them go into a crashed run's message). A run's own console output never goes here.
/// </summary>
internal sealed class StandardErrorLogger : ILogger
{
    public static StandardErrorLogger Instance { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            Engine.HostConsole.Error.WriteLine("Weir: " + formatter(state, exception));
        }
    }
}
