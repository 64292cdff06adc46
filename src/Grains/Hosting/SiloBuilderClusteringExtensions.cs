using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Router.Grains.Hosting;

/// <summary>Membership, cluster identity and endpoints of a silo, switched by <c>Orleans:Clustering:Provider</c>.</summary>
public static class SiloBuilderClusteringExtensions
{
    /// <summary>
    /// <c>Localhost</c>: a development cluster on 127.0.0.1. <c>Redis</c> / <c>AdoNet</c>: the membership
    /// table lives in that store, so silos on any port or machine find each other.
    /// </summary>
    public static ISiloBuilder UseRouterClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = OrleansProviderOptions.From(configuration);
        if (options.UsesClustering(ClusteringProviders.Localhost))
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            return silo.UseRouterTls(configuration);
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        var advertised = options.ResolveAdvertisedAddress();
        silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(advertised));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = options.Membership.ProbeTimeout;
            o.NumMissedProbesLimit = options.Membership.NumMissedProbesLimit;
        });

        var connectionString = options.Clustering.ConnectionString!;
        if (options.UsesClustering(ClusteringProviders.Redis))
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Parse(connectionString));
        }
        else
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.ConnectionString = connectionString;
            });
            silo.Services.AddPostgresSchema(connectionString);
        }

        return silo.UseRouterTls(configuration);
    }
}

/// <summary>Redis connection strings as the router uses them.</summary>
public static class RedisConnection
{
    /// <summary>
    /// Parses a StackExchange.Redis connection string. The process starts even while Redis is
    /// down and keeps reconnecting, so a Redis restart is an outage, not a crash.
    /// </summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }
}
