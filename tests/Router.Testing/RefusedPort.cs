using System.Net;
using System.Net.Sockets;

namespace Router.Testing;

/// <summary>
/// A loopback port that refuses connections for as long as this object lives: a socket bound to it that
/// never listens. Unlike a port found free and let go, nobody else can take it during the test, so an
/// address on it stays "nobody there".
/// </summary>
public sealed class RefusedPort : IDisposable
{
    private readonly Socket _socket;

    private RefusedPort(Socket socket)
    {
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public static RefusedPort Reserve()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return new RefusedPort(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
