using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Router.Hosting;

/// <summary>
/// A router process joins the cluster as a silo or as a client. Both read the documented
/// <c>Orleans:*</c> settings once, translated by <see cref="OrleansProviderKeys"/> into the keys
/// Orleans' configuration-driven providers read, so membership and grain state are chosen by
/// Orleans' own provider builders (<c>ProviderType</c>), never by a switch of the router's.
/// </summary>
public static class RouterOrleansHostingExtensions
{
    /// <summary>
    /// Hosts a silo: Orleans' providers from configuration, this silo's endpoints and failure
    /// detection, then <see cref="SiloBuilderRouterDefaultsExtensions.AddRouterSiloDefaults"/>;
    /// <paramref name="addGrains"/> adds the grains (the hosting project does not know them).
    /// </summary>
    public static IHostApplicationBuilder AddRouterSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder> addGrains)
    {
        var cluster = builder.Configuration.AddOrleansProviderKeys();
        builder.UseOrleans(silo =>
        {
            silo.UseRouterEndpoints(cluster);
            silo.AddRouterSiloDefaults(builder.Configuration);
            addGrains(silo);
        });
        return builder;
    }

    /// <summary>A client of the cluster (a web front that hosts no silo): providers from configuration, then the client defaults.</summary>
    public static IHostApplicationBuilder AddRouterClient(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddOrleansProviderKeys(silo: false);
        builder.UseOrleansClient(client => client.AddRouterClientDefaults(builder.Configuration));
        return builder;
    }

    /// <summary>
    /// Where this silo listens and how it is reached: <c>Localhost</c> keeps everything on
    /// 127.0.0.1; a shared membership table advertises <c>Orleans:AdvertisedAddress</c> (loopback
    /// when unset) and declares a killed silo dead within seconds. A silo that listens beyond
    /// loopback must speak mutual TLS (<see cref="RouterTlsExtensions.EnsureNetworkIsProtected"/>).
    /// </summary>
    public static ISiloBuilder UseRouterEndpoints(this ISiloBuilder silo, RouterClusterOptions cluster)
    {
        if (cluster.UsesClustering(ClusteringProviders.Localhost))
        {
            return silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, cluster.SiloPort, cluster.GatewayPort);
        }

        var advertised = cluster.ResolveAdvertisedAddress();
        var beyondLoopback = !System.Net.IPAddress.IsLoopback(advertised);
        if (beyondLoopback) RouterTlsExtensions.EnsureNetworkIsProtected(silo.Configuration, advertised);
        silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: beyondLoopback);
        return silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.Membership.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.Membership.NumMissedProbesLimit;
        });
    }
}
