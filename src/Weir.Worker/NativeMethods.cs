using System.Runtime.InteropServices;

namespace Weir.Worker;

internal static partial class NativeMethods
{
    public const int SigKill = 9;

    /// <summary>POSIX kill(2); a negative pid signals the whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Kill(int pid, int signal);
}
