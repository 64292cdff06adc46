using System.Net;
using System.Net.Sockets;

namespace Router.WebFront.Auth;

/// <summary>
/// The client address a throttle counts against: the connection's remote address, with an IPv6
/// address taken as its /64 (one subscriber usually holds a whole /64, so single addresses would
/// let one client pose as millions). Behind a reverse proxy every request comes from the proxy
/// unless ASP.NET Core's forwarded-headers handling is set up for it (docs/SECURITY.md).
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
