namespace Weir.Engine;

/// <summary>
/// The real console of the process. Inside a run, <see cref="Console.Out"/> goes to the run's log;
/// hosts that print run output (the terminal printer) write here so their lines are not captured.
/// </summary>
internal static class HostConsole
{
    /// <summary>Standard output.</summary>
    public static TextWriter Out => ConsoleCapture.Out;

    /// <summary>Standard error.</summary>
    public static TextWriter Error => ConsoleCapture.Error;
}
