namespace Weir.Cli;

/// <summary>An error to show the user as a sentence (no stack trace), with the process exit code.</summary>
internal sealed class CliError(string message, int exitCode = ExitCodes.UsageError) : Weir.Client.WeirException(message)
{
    public int ExitCode { get; } = exitCode;
}
