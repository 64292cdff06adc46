using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Hosting;

/// <summary>Configures a silo to host the router's grains and streams.</summary>
public static class SiloBuilderRouterExtensions
{
    /// <summary>Grains, their services, grain storage and the completion stream provider.</summary>
    public static ISiloBuilder AddRouter(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddRouterGrainServices(configuration);

        var storage = configuration["Orleans:Storage:Provider"] ?? "Memory";
        if (!storage.Equals("Memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Orleans:Storage:Provider '{storage}' is not supported yet; use 'Memory'.");
        }

        silo.AddMemoryGrainStorage(RouterStreams.PubSubStorageName);
        silo.AddMemoryGrainStorage(RouterStorage.Sessions);

        var streaming = configuration.GetSection(StreamingOptions.SectionName).Get<StreamingOptions>() ?? new StreamingOptions();
        silo.AddMemoryStreams(RouterStreams.ProviderName, stream =>
        {
            stream.ConfigurePartitioning(streaming.Queues);
            stream.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = streaming.PollPeriod;
                o.BatchContainerBatchSize = streaming.BatchSize;
            }));
        });
        return silo;
    }

    /// <summary>Membership and endpoints from <c>Orleans:*</c> configuration (localhost clustering).</summary>
    public static ISiloBuilder UseRouterClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var provider = configuration["Orleans:Clustering:Provider"] ?? "Localhost";
        if (!provider.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Orleans:Clustering:Provider '{provider}' is not supported yet; use 'Localhost'.");
        }

        var siloPort = configuration.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        silo.UseLocalhostClustering(siloPort, gatewayPort,
            serviceId: configuration["Orleans:ServiceId"] ?? "router",
            clusterId: configuration["Orleans:ClusterId"] ?? "dev");
        return silo;
    }
}
