using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Weir.IntegrationTests;

/// <summary>The README's first command, run as a test: server, private git repository, deploy, worker, two runs with a push in between.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_RunsEndToEnd_AndTheSecondRunUsesThePushedCode()
    {
        var port = FreePort.Next();
        var gitPort = FreePort.Next();
        var demo = await Shell.ExecAsync(Shell.StartInfo("bash", [Path.Combine(Repo.Root, "demo.sh")], Repo.Root, new Dictionary<string, string?>
        {
            ["WEIR_CLI"] = WeirCli.Dll,
            ["WEIR_DEMO_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["WEIR_DEMO_GIT_PORT"] = gitPort.ToString(CultureInfo.InvariantCulture),
            ["NO_COLOR"] = "1",
        }), timeout: TimeSpan.FromMinutes(5));
        var output = demo.Output;

        demo.ExitCode.ShouldBe(0, output);
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
}
