using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Weir.Client;

namespace Weir.Bench;

/// <summary>The real programs the benchmarks drive: the published <c>weir</c> (server, worker, CLI) and the test-server scripts.</summary>
internal static class BenchProcesses
{
    public static string Weir { get; } = Path.Combine(Repo.Root, "weir");

    /// <summary>Starts <c>weir server start</c> on a free port (SQLite under <paramref name="home"/>, or <paramref name="databaseUrl"/>) and waits until it answers.</summary>
    public static async Task<BenchServer> StartServerAsync(string home, string? databaseUrl)
    {
        var port = FreePort();
        var process = Start(Weir, ["server", "start", "--port", port.ToString(CultureInfo.InvariantCulture)], Repo.Root, new()
        {
            ["WEIR_HOME"] = home,
            ["WEIR_DATABASE_URL"] = databaseUrl,
            ["WEIR_API_KEY"] = null,
        });
        var server = new BenchServer(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new WeirClient(server.Url);
        var deadline = Stopwatch.StartNew();
        while (!await client.IsHealthyAsync(default))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(3) || process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"weir server start did not answer on port {port}.");
            }

            await Task.Delay(100);
        }

        return server;
    }

    /// <summary>Starts a program with its output read (and dropped unless <paramref name="output"/> takes it).</summary>
    public static Process Start(string program, IEnumerable<string> args, string workingDirectory, Dictionary<string, string?> environment, Action<string>? output = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
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

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (line is not null)
            {
                output?.Invoke(line);
            }
        }
    }

    /// <summary>Runs a command to its end; its standard output, or an error with what it printed.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, string workingDirectory, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}{await error}");
    }

    /// <summary>Runs a tests/infra script (bash) and returns its output.</summary>
    public static Task<string> ShellAsync(string script, params string[] args) => RunAsync("bash", [script, .. args], Repo.Root, []);

    /// <summary>Kills a process's tree and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A running <c>weir server start</c>; disposing stops it.</summary>
internal sealed class BenchServer(Process process, Uri url) : IAsyncDisposable
{
    public Uri Url { get; } = url;

    /// <summary>CPU seconds the server's process has used so far (<c>./weir</c> execs the published CLI, so the process is the server).</summary>
    public double CpuSeconds() => ProcessCpu.TreeSeconds(process.Id);

    public async ValueTask DisposeAsync()
    {
        await BenchProcesses.StopAsync(process);
        process.Dispose();
    }
}
