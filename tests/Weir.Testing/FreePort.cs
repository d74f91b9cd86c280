using System.Net;
using System.Net.Sockets;

namespace Weir.Testing;

/// <summary>Ports for the servers the tests start on 127.0.0.1.</summary>
public static class FreePort
{
    /// <summary>A port free on 127.0.0.1 at this moment (other developers' tests run on this machine too, so take it just before use).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
