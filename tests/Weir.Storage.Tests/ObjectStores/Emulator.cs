using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Weir.Storage.Tests.Git;

namespace Weir.Storage.Tests.ObjectStores;

/// <summary>Starts and stops an emulator through its tests/infra script (which installs it, records its PID and waits for its port).</summary>
public sealed class Emulator(string script)
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("weir-emulator-").FullName;

    public string Url { get; private set; } = string.Empty;

    private string ScriptPath { get; } = Path.Combine(Path.GetDirectoryName(GitServerFixture.Script)!, script);

    public async Task StartAsync() =>
        Url = (await GitServerFixture.Shell(ScriptPath, "start", Directory, FreePort().ToString(CultureInfo.InvariantCulture))).Trim().Split('\n')[^1];

    public async Task StopAsync()
    {
        await GitServerFixture.Shell(ScriptPath, "stop", Directory);
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
