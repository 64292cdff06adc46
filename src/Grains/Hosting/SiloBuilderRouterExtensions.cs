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

        silo.AddRouterStorage(configuration);
        silo.AddGenerationDrain(configuration);

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
}
