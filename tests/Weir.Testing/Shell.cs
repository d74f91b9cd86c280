using System.Diagnostics;

namespace Weir.Testing;

/// <summary>Runs programs for the tests: to their end (their output captured, with a time limit), or in the background (<see cref="RunningProcess"/>).</summary>
public static class Shell
{
    /// <summary>How long <see cref="ExecAsync"/> and the <c>RunAsync</c> methods wait for a command by default. <value>30 minutes (a first apt-get, npm install or debootstrap is slow).</value></summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A start of <paramref name="file"/> with <paramref name="arguments"/>, its three standard streams redirected, in
    /// <paramref name="workingDirectory"/> (null: the current folder), with <paramref name="environment"/> set on top
    /// of this process's (a null value removes that variable).
    /// </summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory, UseShellExecute = false,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Runs a command to its end and returns its standard output; a non-zero exit is an error carrying what it printed.</summary>
    public static Task<string> RunAsync(string file, params string[] arguments) => RunInAsync(null, file, arguments);

    /// <summary><see cref="RunAsync(string, string[])"/> in <paramref name="workingDirectory"/> (null: the current folder).</summary>
    public static Task<string> RunInAsync(string? workingDirectory, string file, params string[] arguments) => RunAsync(StartInfo(file, arguments, workingDirectory));

    /// <summary>Runs <paramref name="start"/> to its end and returns its standard output; a non-zero exit is an error carrying what it printed.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, string? input = null, TimeSpan? timeout = null)
    {
        var result = await ExecAsync(start, input, timeout).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{Describe(start)} exited {result.ExitCode}: {(result.Stderr.Length > 0 ? result.Stderr : result.Stdout)}");
    }

    /// <summary>
    /// Runs <paramref name="start"/> to its end: <paramref name="input"/> is written to its standard input, which is then
    /// closed (at once when there is none). Past <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>) its
    /// process tree is killed and a <see cref="TimeoutException"/> says what it had printed, so the failure shows where it stopped.
    /// </summary>
    public static async Task<ProcessResult> ExecAsync(ProcessStartInfo start, string? input = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Describe(start)} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (start.RedirectStandardInput)
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }

        var limit = timeout ?? DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"{Describe(start)} did not end within {limit.TotalMinutes:0.#} minutes. It printed:\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Starts <paramref name="start"/> in the background; see <see cref="RunningProcess"/>.</summary>
    public static RunningProcess Start(ProcessStartInfo start, string? name = null, Action<string>? onLine = null, bool keepOutput = true) =>
        RunningProcess.Start(start, name, onLine, keepOutput);

    private static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);
}
