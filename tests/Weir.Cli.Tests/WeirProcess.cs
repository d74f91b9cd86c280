using System.Diagnostics;

namespace Weir.Cli.Tests;

/// <summary>Runs the real <c>weir</c> command (Weir.Cli.dll next to the tests) as a child process.</summary>
internal static class WeirProcess
{
    public static string RepoRoot { get; } = FindRoot();

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string home, string workingDirectory, params string[] args) =>
        RunWithEnvironmentAsync(home, workingDirectory, new Dictionary<string, string>(), args);

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunWithEnvironmentAsync(string home, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithEnvironmentAsync(home, workingDirectory, environment, null, args);

    /// <summary>Runs <c>weir</c>; with <paramref name="input"/> its standard input is that text (then closed), else it is inherited.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithEnvironmentAsync(string home, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? input, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["WEIR_HOME"] = home;
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "weir-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No Weir.slnx above " + AppContext.BaseDirectory);
    }
}
