using Microsoft.Extensions.Logging;

namespace Weir.Engine;

/// <summary>An <see cref="ILogger"/> whose lines go to the run's sink, tagged with the run.</summary>
internal sealed class RunLogger(FlowRunScope scope, Guid? taskRunId, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= scope.MinimumLogLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = message.Length == 0 ? exception.ToString() : message + Environment.NewLine + exception;
        }

        scope.Log(taskRunId, logLevel, category, message);
    }
}
