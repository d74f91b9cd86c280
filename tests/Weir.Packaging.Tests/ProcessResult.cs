namespace Weir.Packaging.Tests;

/// <summary>What a finished process printed, and its exit code.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The command and both streams, for assertion messages.</summary>
    public override string ToString() => $"{Command} exited {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
