using System.Diagnostics;

namespace Weir.FaultTests;

/// <summary>A real <c>weir</c> process (Weir.Cli.dll beside the tests), its output kept for the assertions and the secret scan.</summary>
public sealed class WeirProcess : IAsyncDisposable
{
    private readonly List<string> _lines = [];

    private WeirProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>The worker name it was started with, if it is a worker.</summary>
    public string? Name { get; init; }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static ProcessStartInfo StartInfo(string home, string workingDirectory, Uri server, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["WEIR_HOME"] = home;
        start.Environment["WEIR_API_URL"] = server.ToString().TrimEnd('/');
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("WEIR_API_KEY");
        return start;
    }

    public static WeirProcess Start(string home, string workingDirectory, Uri server, string? name, params string[] args)
    {
        var process = Process.Start(StartInfo(home, workingDirectory, server, args))!;
        var weir = new WeirProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => weir.Record(e.Data);
        process.ErrorDataReceived += (_, e) => weir.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return weir;
    }

    /// <summary>Runs a command to its end (at most 3 minutes).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string home, string workingDirectory, Uri server, params string[] args)
    {
        using var process = Process.Start(StartInfo(home, workingDirectory, server, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout + "\n[timed out]", await stderr);
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>SIGKILL, this process only (the flow processes it started live in their own sessions).</summary>
    public void KillHard()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
        Process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
