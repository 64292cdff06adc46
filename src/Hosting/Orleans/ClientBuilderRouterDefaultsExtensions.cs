using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Router.Grains.Interfaces;
using Router.Hosting.Streaming;

namespace Router.Hosting;

/// <summary>What every client of the router's cluster has besides the providers configuration chose.</summary>
public static class ClientBuilderRouterDefaultsExtensions
{
    /// <summary>
    /// Distributed tracing of grain calls, TLS when configured, the lane stream provider (to
    /// subscribe to lanes), a short gateway-list refresh, and with PostgreSQL membership the schema applied before the first
    /// gateway query, so a client may start before any silo.
    /// </summary>
    public static IClientBuilder AddRouterClientDefaults(this IClientBuilder client, IConfiguration configuration)
    {
        client.AddActivityPropagation();
        client.UseRouterTls(configuration);
        client.AddLaneStreams(RouterStreams.ProviderName, configuration);

        // With a shared membership table the gateway list is refreshed often, so a lost gateway is
        // replaced within seconds and new silos are used soon after they join.
        if (OrleansProviderKeys.SharedMembership(client.Configuration))
        {
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        }

        if (OrleansProviderKeys.AdoNetClustering(client.Configuration) is { } database) client.ApplyPostgresSchemaFirst(database);
        return client;
    }
}
