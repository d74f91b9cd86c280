using System.Runtime.InteropServices;

namespace Weir.Bench;

/// <summary>
/// CPU time of processes from Linux's <c>/proc/PID/stat</c>: <c>utime + stime</c> is what all of a process's
/// threads used, live and ended; <c>cutime + cstime</c> is what its ended children used, once it has waited
/// for them (and, recursively, what those waited for). A process tree's time is therefore its own, its ended
/// children's, and the same of each live child: a flow process that ran and exited is in its worker's
/// <c>cutime</c>, a standby or reused one still running is counted live. Resolution: one clock tick (10 ms).
/// </summary>
internal static partial class ProcessCpu
{
    /// <summary>sysconf's name for the clock ticks per second (<c>_SC_CLK_TCK</c> in glibc and musl).</summary>
    private const int ClockTicksName = 2;

    private static readonly double s_secondsPerTick = 1.0 / Sysconf(ClockTicksName);

    /// <summary>CPU seconds all threads of <paramref name="pid"/> used so far, children not included.</summary>
    public static double OwnSeconds(int pid) =>
        Read(pid) is { } stat ? stat.Own * s_secondsPerTick : throw new InvalidOperationException($"Process {pid} is gone; its CPU time cannot be read.");

    /// <summary>CPU seconds of <paramref name="pid"/>, of the children it has waited for, and of every live descendant (with theirs).</summary>
    public static double TreeSeconds(int pid)
    {
        var all = new Dictionary<int, Stat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Read(id) is { } stat)
            {
                all[id] = stat;
            }
        }

        if (!all.ContainsKey(pid))
        {
            throw new InvalidOperationException($"Process {pid} is gone; its CPU time cannot be read.");
        }

        var children = all.GroupBy(p => p.Value.Parent).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
        long ticks = 0;
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var next))
        {
            ticks += all[next].Own + all[next].Children;
            foreach (var child in children.GetValueOrDefault(next) ?? [])
            {
                pending.Push(child);
            }
        }

        return ticks * s_secondsPerTick;
    }

    private static Stat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone between listing /proc and reading it (its time is now in its parent's cutime), or not ours to read.
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new Stat((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial long Sysconf(int name);

    /// <summary>A process's parent, its own ticks (utime + stime) and its waited-for children's (cutime + cstime).</summary>
    private readonly record struct Stat(int Parent, long Own, long Children);
}
