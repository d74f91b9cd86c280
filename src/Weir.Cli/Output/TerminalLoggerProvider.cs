using Microsoft.Extensions.Logging;

namespace Weir.Cli.Output;

/// <summary>Hands libraries (the worker) the terminal's logger.</summary>
internal sealed class TerminalLoggerProvider(bool verbose) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TerminalLogger(verbose);

    public void Dispose()
    {
    }
}
