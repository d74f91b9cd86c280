using System.Diagnostics;

namespace Weir.Worker;

/// <summary>
/// Runs one flow run in a child process (<c>weir flow-run execute</c>), forwarding its output lines,
/// and kills its whole process tree when the run is cancelled.
/// </summary>
public static class FlowProcess
{
    /// <summary>Starts the child and waits for it. Cancelling <paramref name="cancel"/> kills the process tree and returns with <c>Killed</c>.</summary>
    public static async Task<FlowProcessResult> RunAsync(
        FlowProcessCommand command, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string, bool> output, Action<int>? started, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.PrefixArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
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
        try
        {
            await process.WaitForExitAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            killed = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return new FlowProcessResult(process.Id, process.ExitCode, killed);
    }
}
