using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Router.Grains.Options;

namespace Router.Hosting.Streaming;

/// <summary>Registers the lane stream provider (<see cref="LaneQueueAdapterFactory"/>) on a silo or a client.</summary>
public static class LaneStreamBuilderExtensions
{
    /// <summary>The silo side: every silo reads all of its own queues, with readers that wait for data.</summary>
    public static ISiloBuilder AddLaneStreams(this ISiloBuilder silo, string name, IConfiguration configuration)
    {
        var streaming = AddStreamingOptions(silo.Services, configuration);
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
    public static IClientBuilder AddLaneStreams(this IClientBuilder client, string name, IConfiguration? configuration = null)
    {
        AddStreamingOptions(client.Services, configuration ?? client.Configuration);
        return client.AddPersistentStreams(name, LaneQueueAdapterFactory.Create, null);
    }

    /// <summary><c>Streaming:*</c>, validated at start; returned as read now for the pulling agent's settings.</summary>
    private static StreamingOptions AddStreamingOptions(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StreamingOptions.SectionName);
        services.AddOptionsWithValidateOnStart<StreamingOptions>().Bind(section);
        services.AddSingleton<IValidateOptions<StreamingOptions>, StreamingOptionsValidator>();
        return section.Get<StreamingOptions>() ?? new StreamingOptions();
    }
}
