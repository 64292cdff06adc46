using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Router.Testing;

/// <summary>
/// A loopback port held for one test's process or host, for what must know its port before it starts and
/// cannot listen on port 0 and report back: an Orleans silo (its silo and gateway ports are its address in
/// the membership table, built from the configured numbers before anything binds, and a gateway port of 0
/// means "no gateway").
/// </summary>
/// <remarks>
/// A port found free and let go could be taken before its user binds it. A reserved port cannot be, short
/// of a program binding that exact number: it lies below the kernel's ephemeral range, so neither a bind to
/// port 0 nor an outgoing connection is ever given it, and a lock file held open until
/// <see cref="Dispose"/> keeps every other test run on this machine (other checkouts included) off it.
/// </remarks>
public sealed class ReservedPort : IDisposable
{
    private const int Lowest = 20000;
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "router-test-ports");

    private readonly FileStream _lock;

    private ReservedPort(int port, FileStream @lock)
    {
        Port = port;
        _lock = @lock;
    }

    public int Port { get; }

    public override string ToString() => Port.ToString(CultureInfo.InvariantCulture);

    public static ReservedPort Reserve()
    {
        Directory.CreateDirectory(LockDirectory);
        var highest = EphemeralLow() - 1;
        var start = Random.Shared.Next(Lowest, highest + 1);
        for (var i = 0; i <= highest - Lowest; i++)
        {
            var port = Lowest + ((start - Lowest + i) % (highest - Lowest + 1));
            if (TryLock(port) is not { } held) continue;
            if (IsBindable(port)) return new ReservedPort(port, held);
            held.Dispose();
        }

        throw new InvalidOperationException($"no loopback port in {Lowest}-{highest} is free and unreserved");
    }

    /// <summary>An exclusive lock on the port's file (flock on Linux), released when the holder exits, however it exits.</summary>
    private static FileStream? TryLock(int port)
    {
        try
        {
            return new FileStream(Path.Combine(LockDirectory, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsBindable(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel hands out on its own (Linux: <c>net.ipv4.ip_local_port_range</c>).</summary>
    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            var low = int.Parse(range[0], CultureInfo.InvariantCulture);
            if (low > Lowest + 1000) return low;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        return 32768;
    }

    public void Dispose() => _lock.Dispose();
}
