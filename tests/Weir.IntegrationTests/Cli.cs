using System.Diagnostics;

namespace Weir.IntegrationTests;

/// <summary>Runs the real <c>weir</c> command (Weir.Cli.dll beside the tests) against the test server.</summary>
internal static class Cli
{
    public static ProcessStartInfo Start(string home, string workingDirectory, Uri server, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["WEIR_HOME"] = home;
        start.Environment["WEIR_API_URL"] = server.ToString().TrimEnd('/');
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Like <see cref="Start"/>, with standard error sent into standard output (one pipe, in the order written, as a terminal shows them).</summary>
    public static ProcessStartInfo StartMerged(string home, string workingDirectory, Uri server, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var direct = Start(home, workingDirectory, server, args, environment);
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = direct.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", "exec dotnet \"$@\" 2>&1", "weir" }.Concat(direct.ArgumentList))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in direct.Environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ServerAndWorkerFixture fixture, string workingDirectory, params string[] args) =>
        RunAsync(Start(fixture.Home, workingDirectory, fixture.Server.Url, args));

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, int timeoutMinutes = 2)
    {
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(timeoutMinutes));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Keep what it printed: the failure message then shows where the run stopped.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout + $"\n[timed out after {timeoutMinutes} minutes]", await stderr);
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
