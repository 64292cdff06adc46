using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Router.Grains.Hosting;
using Router.Grains.Interfaces;
using Router.Hosting;
using Router.Hosting.Streaming;

namespace Router.Grains.Tests;

/// <summary>An in-process cluster of router silos, set up as a silo host sets them up, and a client that reads lanes.</summary>
public static class RouterTestCluster
{
    /// <param name="configureSilo">What a test adds to each silo after the router's own set-up (a store of its own, for instance).</param>
    public static async Task<InProcessTestCluster> StartAsync(short silos, IConfiguration configuration, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddRouterSiloDefaults(configuration).AddRouter(configuration);
            configureSilo?.Invoke(silo);
        });
        builder.ConfigureClient(client => client.AddLaneStreams(RouterStreams.ProviderName));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
