using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Router.Grains.Interfaces;
using Router.Grains.Options;

namespace Router.Grains.Hosting;

/// <summary>Configures a silo to host the router's grains and streams.</summary>
public static class SiloBuilderRouterExtensions
{
    private const string PubSubRendezvousGrainType = "Orleans.Streams.PubSubRendezvousGrain";

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

                // Every request has a stream of its own that lives for seconds; the agent's default
                // of keeping an idle stream's bookkeeping for 30 minutes grows memory with traffic.
                o.StreamInactivityPeriod = streaming.StreamRetention;
            }));

            // Items only need to outlive the gap between publishing and a subscription replaying
            // them; the default keeps them for minutes, which at thousands of chunks a second is
            // hundreds of megabytes.
            stream.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = streaming.CacheRetention;
                o.DataMaxAgeInCache = streaming.CacheRetention * 2;
                o.MetadataMinTimeInCache = streaming.CacheRetention * 2;
            }));
        });

        // Each request's stream activates a pub-sub rendezvous grain; collect them soon after use
        // instead of after the default collection age.
        silo.Configure<GrainCollectionOptions>(o =>
            o.ClassSpecificCollectionAge[PubSubRendezvousGrainType] = streaming.StreamRetention);
        return silo;
    }
}
