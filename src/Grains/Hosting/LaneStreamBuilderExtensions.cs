using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Router.Grains.Options;
using Router.Grains.Streaming;

namespace Router.Grains.Hosting;

/// <summary>Registers the lane stream provider (<see cref="LaneQueueAdapterFactory"/>) on a silo or a client.</summary>
public static class LaneStreamBuilderExtensions
{
    /// <summary>The silo side: every silo reads all of its own queues, with readers that wait for data.</summary>
    public static ISiloBuilder AddLaneStreams(this ISiloBuilder silo, string name, IConfiguration configuration)
    {
        var streaming = ReadOptions(configuration);
        return silo.AddPersistentStreams(name, LaneQueueAdapterFactory.Create, stream =>
        {
            stream.ConfigurePartitionBalancing((_, _) => new AllQueuesBalancer());
            stream.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = streaming.PollPeriod;
                o.BatchContainerBatchSize = streaming.BatchSize;
            }));
        });
    }

    /// <summary>
    /// The client side: a web front only subscribes to its lanes. (Publishing from a client would
    /// land in a queue nobody reads; the router never publishes from a client.)
    /// </summary>
    public static IClientBuilder AddLaneStreams(this IClientBuilder client, string name) =>
        client.AddPersistentStreams(name, LaneQueueAdapterFactory.Create, null);

    internal static StreamingOptions ReadOptions(IConfiguration configuration) =>
        configuration.GetSection(StreamingOptions.SectionName).Get<StreamingOptions>() ?? new StreamingOptions();
}
