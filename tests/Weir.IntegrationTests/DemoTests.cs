using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Weir.IntegrationTests;

/// <summary>The README's first command, run as a test: server, private git repository, deploy, worker, two runs with a push in between.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_RunsEndToEnd_AndTheSecondRunUsesThePushedCode()
    {
        var root = FindRoot();
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "demo.sh"));
        start.Environment["WEIR_CLI"] = Path.Combine(AppContext.BaseDirectory, "Weir.Cli.dll");
        var port = FreePort();
        var gitPort = FreePort();
        start.Environment["WEIR_DEMO_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["WEIR_DEMO_GIT_PORT"] = gitPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;

        process.ExitCode.ShouldBe(0, output);
        output.ShouldContain("Task run 'PrintData-0' - 1, 2, 3");
        output.ShouldContain("Task run 'PrintData-0' - Data: 1 | 2 | 3");
        output.ShouldContain("Done: the second run used the pushed code without a re-deploy.");
        var commits = System.Text.RegularExpressions.Regex.Matches(output, @"commit ([0-9a-f]{12})").Select(m => m.Groups[1].Value).Distinct().ToList();
        commits.Count.ShouldBeGreaterThanOrEqualTo(2);

        // It stops everything it started: nothing listens on its ports any more.
        foreach (var used in new[] { port, gitPort })
        {
            using var listener = new TcpListener(IPAddress.Loopback, used);
            Should.NotThrow(() => listener.Start(), $"port {used} is still in use after the demo");
            listener.Stop();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
