namespace Weir.Worker;

/// <summary>
/// Replaces the worker's process by a fresh copy of itself (same program, arguments, environment, PID and
/// standard streams), for a worker whose in-process pool left too much abandoned flow code running.
/// A supervisor (systemd, a container runtime) sees the same process go on.
/// </summary>
public static class WorkerRestart
{
    /// <summary>Starts the same command line afresh in this process; returns only when that failed, with why.</summary>
    public static string Exec()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessPath is not { } program)
        {
            return "restarting in place works on Linux only; start the worker again.";
        }

        // /proc/self/cmdline holds the arguments as the process was started (dotnet and its dll included).
        var arguments = File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.None);
        var argv = arguments.Length > 0 && arguments[^1].Length == 0 ? arguments[..^1] : arguments;
        Console.Out.Flush();
        Console.Error.Flush();
        _ = NativeMethods.Execv(program, [.. argv, null]);
        return $"execv({program}) failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}; start the worker again.";
    }
}
