using System.Diagnostics;

namespace Weir.Testing;

/// <summary>
/// A program started in the background (a worker, a server) whose output lines are read as they come and kept for the
/// assertions and failure messages. Disposing kills its process tree if it still runs.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly List<string>? _lines;
    private readonly Action<string>? _onLine;
    private bool _disposed;

    private RunningProcess(Process process, string? name, Action<string>? onLine, bool keepOutput)
    {
        Process = process;
        Name = name;
        _onLine = onLine;
        _lines = keepOutput ? [] : null;
    }

    public Process Process { get; }

    public int Id => Process.Id;

    /// <summary>The name it was started under (a worker's <c>--name</c>), if any.</summary>
    public string? Name { get; }

    public bool HasExited => Process.HasExited;

    public int ExitCode => Process.ExitCode;

    /// <summary>Every line it wrote to standard output or error so far, in the order read.</summary>
    public string Output => string.Join('\n', Lines);

    /// <summary>The lines it wrote so far (none when started without keeping its output).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            if (_lines is null)
            {
                return [];
            }

            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> (standard output and error are redirected and read line by line; standard input, if redirected, is closed).</summary>
    public static RunningProcess Start(ProcessStartInfo start, string? name = null, Action<string>? onLine = null, bool keepOutput = true)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var running = new RunningProcess(process, name, onLine, keepOutput);
        process.OutputDataReceived += (_, e) => running.Record(e.Data);
        process.ErrorDataReceived += (_, e) => running.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (start.RedirectStandardInput)
        {
            process.StandardInput.Close();
        }

        return running;
    }

    /// <summary>The last <paramref name="count"/> lines of its output.</summary>
    public string Tail(int count) => string.Join('\n', Lines.TakeLast(count));

    /// <summary>SIGKILL to this process only, as the OOM killer or <c>kill -9</c> would (what it started lives on).</summary>
    public void KillHard()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: false);
        }
    }

    public Task WaitForExitAsync() => Process.WaitForExitAsync();

    /// <summary>Waits at most <paramref name="timeout"/> for it to end; whether it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills its process tree if it still runs and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync().ConfigureAwait(false);
        Process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_lines is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }

        _onLine?.Invoke(line);
    }
}
