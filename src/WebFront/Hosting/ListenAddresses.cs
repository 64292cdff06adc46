using System.Net;

namespace Router.WebFront.Hosting;

/// <summary>
/// Where the web front will listen, read from configuration the way Kestrel reads it
/// (<c>Kestrel:Endpoints:*:Url</c> first, then <c>urls</c> / <c>--urls</c> / <c>ASPNETCORE_URLS</c>,
/// else the default), and whether each of those addresses is reachable beyond this machine.
/// </summary>
public static class ListenAddresses
{
    public static IReadOnlyList<string> Of(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().Where(u => u.Length > 0).ToList();
        if (endpoints.Count > 0) return endpoints;
        var urls = configuration["urls"];
        return string.IsNullOrWhiteSpace(urls)
            ? [RouterWebApplication.DefaultUrl]
            : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>True for <c>localhost</c>, a loopback IP or a Unix socket; anything else (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, a name) is the network.</summary>
    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        if (address.IsUnixPipe) return true;
        var host = address.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>The configured addresses that reach beyond this machine.</summary>
    public static IReadOnlyList<string> BeyondLoopback(IConfiguration configuration) => Of(configuration).Where(u => !IsLoopback(u)).ToList();
}
