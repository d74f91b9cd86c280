using System.Text;

namespace Weir.Engine;

/// <summary>
/// Replaces <see cref="Console.Out"/> and <see cref="Console.Error"/> once per process with writers
/// that send text written inside a run to that run's log, and everything else to the real console.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly Lock s_gate = new();
    private static bool s_installed;
    private static TextWriter? s_out;
    private static TextWriter? s_error;

    /// <summary>The process's real standard output, whether or not the capture is installed.</summary>
    public static TextWriter Out => Volatile.Read(ref s_installed) ? s_out! : Console.Out;

    /// <summary>The process's real standard error, whether or not the capture is installed.</summary>
    public static TextWriter Error => Volatile.Read(ref s_installed) ? s_error! : Console.Error;

    public static void EnsureInstalled()
    {
        if (Volatile.Read(ref s_installed))
        {
            return;
        }

        lock (s_gate)
        {
            if (s_installed)
            {
                return;
            }

            s_out = Console.Out;
            s_error = Console.Error;
            Console.SetOut(TextWriter.Synchronized(new RoutingWriter(s_out, error: false)));
            Console.SetError(TextWriter.Synchronized(new RoutingWriter(s_error, error: true)));
            Volatile.Write(ref s_installed, true);
        }
    }

    private sealed class RoutingWriter(TextWriter inner, bool error) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => Write([value]);

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            var output = RunContext.Current?.Output;
            if (output is null)
            {
                inner.Write(buffer);
            }
            else
            {
                output.Write(error, buffer);
            }
        }

        public override void Write(string? value) => Write(value.AsSpan());

        public override void WriteLine(string? value)
        {
            Write(value.AsSpan());
            Write(CoreNewLine);
        }

        public override void Flush() => inner.Flush();
    }
}
