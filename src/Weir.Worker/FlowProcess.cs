using System.Diagnostics;

namespace Weir.Worker;

/// <summary>
/// One child flow process (<c>Weir.Runner</c>, waiting for its run on standard input). On Linux the child starts in its own session (<c>setsid</c>), so everything it starts is
/// in its process group: cancellation kills the whole group, and so does the end of the run, which
/// leaves no stray process behind even when the flow process itself was killed. A child started with
/// <c>--runs N</c> may run several runs one after another: it ends each with
/// <see cref="RunEndedMarker"/> on both its output streams instead of exiting.
/// </summary>
public sealed class FlowProcess : IDisposable
{
    /// <summary>What a reusable child writes on standard output and standard error, followed by the run's exit code, when a run has ended.</summary>
    public const string RunEndedMarker = "\u001eweir-run-ended ";

    private const string SetSid = "/usr/bin/setsid";

    /// <summary>The exit code given to a run whose end marker held no number (counts as crashed).</summary>
    private const int UnreadableMarker = 255;

    private readonly Process _process;
    private readonly bool _ownGroup;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _outputLock = new();
    private readonly List<(string Line, bool IsError)> _early = [];
    private Action<string, bool>? _output;
    private TaskCompletionSource<int>? _runEnded;
    private int _markers;

    private FlowProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
    }

    /// <summary>The child's PID.</summary>
    public int Id { get; private set; }

    /// <summary>True once the child has ended.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>How many runs the child has been handed.</summary>
    public int RunsHanded { get; private set; }

    /// <summary>Starts the child with exactly <paramref name="environment"/>; its standard input stays open until <see cref="Hand"/> or <see cref="CloseInput"/>.</summary>
    public static FlowProcess Start(FlowProcessCommand command, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        var ownGroup = OperatingSystem.IsLinux() && File.Exists(SetSid);
        var start = new ProcessStartInfo(ownGroup ? SetSid : command.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (ownGroup)
        {
            start.ArgumentList.Add(command.FileName);
        }

        foreach (var argument in command.PrefixArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // Exactly the environment given (FlowEnvironment builds it): nothing of the worker's own passes unasked, its key least of all.
        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new FlowProcess(process, ownGroup);
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.OutputDataReceived += (_, e) => child.Forward(e.Data, false);
        process.ErrorDataReceived += (_, e) => child.Forward(e.Data, true);
        process.Start();
        child.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Hands the child its run: one <see cref="Hosting.FlowRunAssignment"/> JSON line.</summary>
    /// <exception cref="IOException">The child is gone (its pipe is closed).</exception>
    /// <param name="assignment">The run's assignment, as one JSON line.</param>
    /// <param name="more">True to keep its input open for another run after this one (a child started with <c>--runs</c> above 1).</param>
    public void Hand(string assignment, bool more = false)
    {
        lock (_outputLock)
        {
            _runEnded = more ? new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            _markers = 0;
        }

        _process.StandardInput.WriteLine(assignment);
        _process.StandardInput.Flush();
        RunsHanded++;
        if (!more)
        {
            CloseInput();
        }
    }

    /// <summary>Closes the child's standard input (flows read nothing from it).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the child, forwarding its output lines. Cancelling <paramref name="cancel"/> kills the process tree and returns with <c>Killed</c>.</summary>
    public async Task<FlowProcessResult> WaitAsync(Action<string, bool> output, CancellationToken cancel)
    {
        lock (_outputLock)
        {
            foreach (var (line, isError) in _early)
            {
                output(line, isError);
            }

            _early.Clear();
            _output = output;
        }

        Task<int>? runEnded;
        lock (_outputLock)
        {
            runEnded = _runEnded?.Task;
        }

        var killed = false;
        try
        {
            var ended = runEnded is null ? _exited.Task : await Task.WhenAny(_exited.Task, runEnded).WaitAsync(cancel).ConfigureAwait(false);
            await ended.WaitAsync(cancel).ConfigureAwait(false);
            if (ended == runEnded && !_exited.Task.IsCompleted)
            {
                // The child lives on for its next run; what the run started and left behind does not.
                KillOthersInGroup();
                return new FlowProcessResult(Id, await runEnded.ConfigureAwait(false), Killed: false) { Reusable = true };
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            killed = true;
            Kill();
            await _exited.Task.ConfigureAwait(false);
        }

        // Whatever the flow started and left running goes too; then give the pipes a moment to drain
        // (a grandchild that escaped the group could hold them open forever).
        Kill();
        await Task.WhenAny(_process.WaitForExitAsync(CancellationToken.None), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        return new FlowProcessResult(Id, _process.ExitCode, killed);
    }

    /// <summary>Kills the child and its process group.</summary>
    public void Kill()
    {
        if (_ownGroup)
        {
            _ = NativeMethods.Kill(-Id, NativeMethods.SigKill);
        }
        else if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Asks a reusable child to exit (its input closes), and kills its group if it has not within 5 s; then disposes it.</summary>
    public async Task RetireAsync()
    {
        try
        {
            CloseInput();
        }
        catch (IOException)
        {
            // Already gone.
        }

        await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        Kill();
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    /// <summary>SIGKILLs every other process in the child's group (what a finished run left running), leaving the child itself.</summary>
    private void KillOthersInGroup()
    {
        if (!_ownGroup)
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid == Id)
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 2 && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var group) && group == Id)
                {
                    _ = NativeMethods.Kill(pid, NativeMethods.SigKill);
                }
            }
            catch (IOException)
            {
                // It ended meanwhile.
            }
        }
    }

    private void Forward(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        Action<string, bool>? output;
        lock (_outputLock)
        {
            if (_runEnded is { } ended && line.StartsWith(RunEndedMarker, StringComparison.Ordinal))
            {
                // Both streams carry the marker, so every line the run wrote on either is forwarded before the run ends.
                if (++_markers == 2)
                {
                    _output = null;
                    _runEnded = null;
                    ended.TrySetResult(int.TryParse(line.AsSpan(RunEndedMarker.Length), System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : UnreadableMarker);
                }

                return;
            }

            output = _output;
            if (output is null)
            {
                // A standby's output before its run (warm-up): kept for the run's log, bounded.
                if (_early.Count < 100)
                {
                    _early.Add((line, isError));
                }

                return;
            }
        }

        output(line, isError);
    }
}
