using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.Grains.Options;
using Router.Hosting.Streaming;

namespace Router.Hosting.Tests.Streaming;

/// <summary>The lane stream provider's real adapter, built by its own factory as a silo builds it.</summary>
internal static class LaneQueues
{
    public const string ProviderName = "lanes-under-test";

    public static async Task<(IQueueAdapter Adapter, IStreamQueueMapper Mapper)> CreateAsync(int queues, int capacity, TimeSpan receiveWait)
    {
        var factory = Factory(new StreamingOptions { Queues = queues, QueueCapacity = capacity, ReceiveWait = receiveWait });
        return (await factory.CreateAdapter(CancellationToken.None), factory.GetStreamQueueMapper());
    }

    /// <summary>The provider's factory with <paramref name="options"/>, for its adapter, mapper and cache.</summary>
    public static IQueueAdapterFactory Factory(StreamingOptions options)
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(Options.Create(options))
            .BuildServiceProvider();
        return LaneQueueAdapterFactory.Create(services, ProviderName);
    }

    /// <summary>The stream of a lane, as the router names lanes.</summary>
    public static StreamId Lane(string key) => RouterStreams.ForLane(key);

    /// <summary>Publishes one item to <paramref name="stream"/> the way a producer does.</summary>
    public static Task PublishAsync(IQueueAdapter adapter, StreamId stream, string item) =>
        adapter.QueueMessageBatchAsync(stream, new[] { item }, token: null, requestContext: null);
}
