using Microsoft.Extensions.Primitives;

namespace Router.WebFront.Hosting;

/// <summary>
/// Which hosts and web origins may reach the router (<see cref="RequestOriginGuard"/>).
/// <c>AllowedHosts</c> (semicolon-separated, <c>*</c> and <c>*.example.com</c> allowed) defaults to
/// <c>localhost;127.0.0.1;[::1]</c> while the web front listens on loopback only, and to <c>*</c>
/// when it listens beyond (set it to the names clients use). <c>Cors:AllowedOrigins</c> lists the
/// web origins (<c>https://app.example</c>) whose pages may call the router; none by default.
/// </summary>
public sealed class BrowserAccess
{
    public const string AllowedHostsKey = "AllowedHosts";
    public const string AllowedOriginsKey = "Cors:AllowedOrigins";

    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private readonly StringSegment[] _hosts;
    private readonly HashSet<string> _origins;

    public BrowserAccess(IConfiguration configuration)
    {
        var configured = configuration[AllowedHostsKey];
        var hosts = !string.IsNullOrWhiteSpace(configured)
            ? configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ListenAddresses.BeyondLoopback(configuration).Count == 0 ? LoopbackHosts : ["*"];
        _hosts = hosts.Select(h => new StringSegment(h)).ToArray();
        Origins = configuration.GetSection(AllowedOriginsKey).Get<string[]>()?.Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0).ToArray() ?? [];
        _origins = new HashSet<string>(Origins, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The configured web origins, for the CORS policy.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <summary>An empty Host (HTTP/1.0) passes: no browser sends one.</summary>
    public bool HostAllowed(HostString host) =>
        !host.HasValue || _hosts.Any(h => h == "*") || HostString.MatchesAny(new StringSegment(host.Host), _hosts);

    /// <summary>The router's own origin, or a listed one.</summary>
    public bool OriginAllowed(string origin, HttpRequest request) =>
        _origins.Contains("*") || _origins.Contains(origin)
        || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
}
