using System.Globalization;
using System.Text.RegularExpressions;

namespace Weir.IntegrationTests;

/// <summary>
/// The README's walkthrough ("From weir run to a deployment"), run as written: the script between its
/// <c>&lt;!-- walkthrough --&gt;</c> markers, with two changes only a test needs: its <c>weir</c> is the CLI built beside
/// the tests (a shim first on the PATH the script sets), and the server's port 4200 becomes a free one.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly TempFolder _folder = new("weir-walkthrough-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Walkthrough_RunsAsWritten_AndTheSecretItReadsNeverReachesALog()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "README.md"));
        var script = WalkthroughBlock().Match(readme) is { Success: true } match ? match.Groups["script"].Value
            : throw new ShouldAssertException("README.md has no ```bash block between <!-- walkthrough --> and <!-- /walkthrough -->");
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        script = script.Replace("127.0.0.1:4200", "127.0.0.1:" + port, StringComparison.Ordinal)
            .Replace("weir server start ", $"weir server start --port {port} ", StringComparison.Ordinal);

        // The script's first line puts its working folder first on the PATH: here that folder holds a weir that runs the tests' CLI.
        var shim = _folder.Combine("weir");
        await File.WriteAllTextAsync(shim, $"#!/usr/bin/env bash\nexec dotnet '{WeirCli.Dll}' \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = Directory.CreateDirectory(_folder.Combine("tmp")).FullName;
        var result = await Shell.ExecAsync(Shell.StartInfo("bash", ["-e", "-c", script], _folder.Path, new Dictionary<string, string?>
        {
            ["TMPDIR"] = temp, ["WEIR_API_URL"] = $"http://127.0.0.1:{port}", ["WEIR_API_KEY"] = null, ["WEIR_PROFILE"] = null, ["NO_COLOR"] = "1",
        }), timeout: TimeSpan.FromMinutes(5));
        var home = Directory.GetDirectories(temp).Single();
        var logs = string.Join("\n", Directory.GetFiles(home, "*.log").Select(File.ReadAllText));

        result.ExitCode.ShouldBe(0, result.Output + logs);
        result.Stdout.ShouldContain("Hello, Ada! The token is ********.");
        result.Stdout.ShouldContain("Hello, Grace! The token is ********.");
        (result.Output + logs).ShouldNotContain("hunter2");
        (await File.ReadAllTextAsync(Path.Combine(home, "hello", "weir.yaml"))).ShouldContain("blocks: ['greeting-token']");
        using var probe = new System.Net.Sockets.TcpClient();
        await Should.ThrowAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync("127.0.0.1", int.Parse(port, CultureInfo.InvariantCulture)),
            "the walkthrough stops the server it started");
    }

    [GeneratedRegex("<!-- walkthrough -->\\s*```bash\\n(?<script>.*?)```\\s*<!-- /walkthrough -->", RegexOptions.Singleline)]
    private static partial Regex WalkthroughBlock();
}
