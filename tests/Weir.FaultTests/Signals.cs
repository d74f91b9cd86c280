using System.Runtime.InteropServices;

namespace Weir.FaultTests;

/// <summary>
/// SIGSTOP through <c>kill(2)</c> itself: a <c>kill</c> process would take milliseconds to start, long enough for the
/// frozen worker to send what a kill aimed right after a run's end is meant to catch unsent.
/// </summary>
internal static class Signals
{
    private const int SigStop = 19;

    /// <summary>Freezes <paramref name="pid"/> and returns once every one of its threads is stopped (each <c>/proc/PID/task/TID/stat</c> says T).</summary>
    public static async Task StopAsync(int pid)
    {
        if (Kill(pid, SigStop) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGSTOP) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!IsStopped(pid))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"process {pid} did not stop after SIGSTOP");
            await Task.Delay(1);
        }
    }

    private static bool IsStopped(int pid) => Directory.EnumerateDirectories($"/proc/{pid}/task").All(task =>
    {
        // The state is the first field after the command name, which is in parentheses and may hold spaces.
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(task, "stat"));
        }
        catch (IOException)
        {
            // A thread that ended meanwhile.
            return true;
        }

        return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
    });

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
