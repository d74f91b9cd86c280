using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Weir.IntegrationTests;

/// <summary>
/// What tests need to start the real servers of tests/infra (s3rver, azurite, the GCS emulator, ...):
/// the scripts' paths, a free port on 127.0.0.1, and running a command to its end.
/// </summary>
internal static class TestInfra
{
    /// <summary>Runs <c>tests/infra/SCRIPT start DIR PORT</c> on a free port and returns the last line it prints (its endpoint URL).</summary>
    public static async Task<string> StartAsync(string script, string dir) =>
        (await ShellAsync("bash", Script(script), "start", dir, FreePort().ToString(CultureInfo.InvariantCulture))).Trim().Split('\n')[^1];

    /// <summary>Runs <c>tests/infra/SCRIPT stop DIR</c>, which stops what <see cref="StartAsync"/> started by its recorded PID.</summary>
    public static Task StopAsync(string script, string dir) => ShellAsync("bash", Script(script), "stop", dir);

    /// <summary>Runs a command to its end and returns its standard output; a non-zero exit is an error carrying its standard error.</summary>
    public static Task<string> ShellAsync(string file, params string[] arguments) => ShellInAsync(null, file, arguments);

    /// <summary><see cref="ShellAsync"/> in <paramref name="workingDirectory"/> (null: the current folder).</summary>
    public static async Task<string> ShellInAsync(string? workingDirectory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
    }

    /// <summary>Commits everything in <paramref name="project"/> (a git repository from the first call on) and pushes it to the bare repository <paramref name="bare"/>.</summary>
    public static async Task CommitAndPushAsync(string project, string bare, string message)
    {
        if (!Directory.Exists(Path.Combine(project, ".git")))
        {
            await ShellInAsync(project, "git", "init", "-q", "-b", "main");
        }

        await ShellInAsync(project, "git", "add", "-A");
        await ShellInAsync(project, "git", "-c", "user.email=t@weir.test", "-c", "user.name=tests", "commit", "-q", "-m", message);
        await ShellInAsync(project, "git", "push", "-q", bare, "main");
    }

    /// <summary>A port free on 127.0.0.1 at this moment (other engineers' tests run on this machine too).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The path of a script in tests/infra, found from the test binaries upwards.</summary>
    public static string Script(string script)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "infra", script);
            }
        }

        throw new InvalidOperationException("No Weir.slnx above " + AppContext.BaseDirectory);
    }
}
