#if ROUTER_COHOSTED_SILO
using Router.Grains.Hosting;
#endif
using Router.Hosting;

namespace Router.WebFront.Hosting;

/// <summary>
/// The one place the web front touches the grain implementations: the co-hosted silo of the
/// embedded default (<c>WebFront:CoHostSilo=true</c>). A build with <c>RouterCoHostedSilo=false</c>
/// leaves the grains out; asked to co-host, it then stops at start with a message saying so.
/// </summary>
public static class CoHostedSiloExtensions
{
    /// <summary>Whether this build carries the grains a co-hosted silo needs.</summary>
#if ROUTER_COHOSTED_SILO
    public const bool CanCoHost = true;
#else
    public const bool CanCoHost = false;
#endif

    public static WebApplicationBuilder AddCoHostedSilo(this WebApplicationBuilder builder)
    {
#if ROUTER_COHOSTED_SILO
        builder.AddRouterSilo(silo => silo.AddRouter(builder.Configuration));
        return builder;
#else
        throw new InvalidOperationException(
            "WebFront:CoHostSilo is true, but this web front was built without the grains (RouterCoHostedSilo=false): " +
            "set WebFront:CoHostSilo=false to run it as a client of a cluster, or use a build with the grains.");
#endif
    }
}
