using System.Diagnostics;

namespace Weir.Worker;

/// <summary>
/// Runs one flow run in a child process (<c>weir flow-run execute</c>), forwarding its output lines.
/// On Linux the child starts in its own session (<c>setsid</c>), so everything it starts is in its
/// process group: cancellation kills the whole group, and so does the end of the run, which leaves
/// no stray process behind even when the flow process itself was killed.
/// </summary>
public static class FlowProcess
{
    private const string SetSid = "/usr/bin/setsid";

    /// <summary>Starts the child and waits for it. Cancelling <paramref name="cancel"/> kills the process tree and returns with <c>Killed</c>.</summary>
    public static async Task<FlowProcessResult> RunAsync(
        FlowProcessCommand command, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string, bool> output, Action<int>? started, CancellationToken cancel)
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

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output(e.Data, false);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output(e.Data, true);
            }
        };
        process.Start();
        started?.Invoke(process.Id);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var killed = false;
        var pid = process.Id;
        try
        {
            await exited.Task.WaitAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            killed = true;
            KillGroup(process, ownGroup);
            await exited.Task.ConfigureAwait(false);
        }

        // Whatever the flow started and left running goes too; then give the pipes a moment to drain
        // (a grandchild that escaped the group could hold them open forever).
        KillGroup(process, ownGroup);
        await Task.WhenAny(process.WaitForExitAsync(CancellationToken.None), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        return new FlowProcessResult(pid, process.ExitCode, killed);
    }

    private static void KillGroup(Process process, bool ownGroup)
    {
        if (ownGroup)
        {
            _ = NativeMethods.Kill(-process.Id, NativeMethods.SigKill);
        }
        else if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
