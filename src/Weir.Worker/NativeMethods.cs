using System.Runtime.InteropServices;

namespace Weir.Worker;

internal static partial class NativeMethods
{
    public const int SigKill = 9;

    /// <summary>POSIX kill(2); a negative pid signals the whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Kill(int pid, int signal);

    /// <summary>POSIX getppid(2): the parent's PID (another one once the parent has died and the process was re-parented).</summary>
    [LibraryImport("libc", EntryPoint = "getppid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int GetParentProcessId();

    /// <summary>POSIX getpgrp(2): this process's group.</summary>
    [LibraryImport("libc", EntryPoint = "getpgrp")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int GetProcessGroup();

    /// <summary>POSIX execv(3): replaces this process's program (same PID, same standard streams); returns only on failure.</summary>
    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Execv(string path, string?[] arguments);
}
