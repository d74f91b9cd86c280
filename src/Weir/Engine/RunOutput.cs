using System.Text;
using Microsoft.Extensions.Logging;

namespace Weir.Engine;

/// <summary>
/// Collects what one run (flow or task) writes to the console and turns each finished line into a
/// log record. One per run context, so concurrent tasks never mix their lines.
/// </summary>
internal sealed class RunOutput(FlowRunScope scope, Guid? taskRunId)
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    public void Write(bool error, ReadOnlySpan<char> text)
    {
        var buffer = error ? _err : _out;
        lock (buffer)
        {
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    Emit(error, buffer);
                }
                else if (c != '\r')
                {
                    buffer.Append(c);
                }
            }
        }
    }

    /// <summary>Emits a line that has no newline yet, at the end of an attempt.</summary>
    public void Flush()
    {
        lock (_out)
        {
            if (_out.Length > 0)
            {
                Emit(false, _out);
            }
        }

        lock (_err)
        {
            if (_err.Length > 0)
            {
                Emit(true, _err);
            }
        }
    }

    private void Emit(bool error, StringBuilder buffer)
    {
        scope.Log(taskRunId, error ? LogLevel.Warning : LogLevel.Information, error ? "stderr" : "stdout", buffer.ToString());
        buffer.Clear();
    }
}
