using System.Net;
using System.Net.Sockets;

namespace Router.Testing;

/// <summary>
/// A port nobody listens on right now, let go at once: another process may take it before its user binds
/// it. Only for what must know its port before it starts (an Orleans silo's ports are its address in the
/// membership table); a server that can listen on port 0 and report the port it bound does that, and a
/// "nothing here" address is a <see cref="RefusedPort"/>.
/// </summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
