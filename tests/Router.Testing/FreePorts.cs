using System.Net;
using System.Net.Sockets;

namespace Router.Testing;

/// <summary>Ports nobody listens on right now, for silos and for "nothing here" endpoints.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
