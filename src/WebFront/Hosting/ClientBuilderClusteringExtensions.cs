using Orleans.Configuration;
using Router.Grains.Hosting;

namespace Router.WebFront.Hosting;

/// <summary>How a web front that is a client of the cluster finds its gateways.</summary>
public static class ClientBuilderClusteringExtensions
{
    /// <summary>
    /// The same <c>Orleans:*</c> settings as the silos: <c>Localhost</c> (one gateway on
    /// <c>Orleans:GatewayPort</c>), or the <c>Redis</c> / <c>AdoNet</c> membership table, which lists
    /// every live silo's gateway. The gateway list is refreshed often, so a lost gateway is replaced
    /// within seconds and new silos are used soon after they join.
    /// </summary>
    public static IClientBuilder UseRouterClustering(this IClientBuilder client, IConfiguration configuration)
    {
        var options = OrleansProviderOptions.From(configuration);
        if (options.UsesClustering(ClusteringProviders.Localhost))
        {
            client.UseLocalhostClustering(options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            return client.UseRouterTls(configuration);
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));

        var connectionString = options.Clustering.ConnectionString!;
        if (options.UsesClustering(ClusteringProviders.Redis))
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Parse(connectionString));
        }
        else
        {
            // PostgreSQL: the gateway list comes from the silos' membership table; the schema is
            // applied (idempotently) before the first query, so a client may start first.
            client.UsePostgresClustering(connectionString);
        }

        return client.UseRouterTls(configuration);
    }
}
