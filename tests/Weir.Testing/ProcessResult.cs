namespace Weir.Testing;

/// <summary>How a process that ran to its end ended, and what it printed.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Everything it wrote to standard output.</param>
/// <param name="Stderr">Everything it wrote to standard error.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output, then standard error (for failure messages).</summary>
    public string Output => Stdout + Stderr;
}
