using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.Grains.Options;
using Router.Hosting.Streaming;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// The production lane queue (<see cref="LaneQueueAdapter"/>, built by its factory) filled to its capacity
/// with nobody reading: a publish to it fails exactly as a publish to a full lane fails in a silo.
/// </summary>
internal static class FullLaneQueue
{
    private static readonly Lazy<Task<IQueueAdapter>> Adapter = new(CreateAsync);

    private static readonly Orleans.Runtime.StreamId Lane = RouterStreams.ForLane("full-lane/0");

    /// <summary>Publishes <paramref name="item"/> to the full queue, which refuses it.</summary>
    public static async Task PublishAsync(LaneItem item) =>
        await (await Adapter.Value).QueueMessageBatchAsync(Lane, new[] { item }, token: null, requestContext: null);

    private static async Task<IQueueAdapter> CreateAsync()
    {
        const int Capacity = 16;
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new StreamingOptions { Queues = 1, QueueCapacity = Capacity }))
            .BuildServiceProvider();
        var adapter = await LaneQueueAdapterFactory.Create(services, "full-lanes").CreateAdapter(CancellationToken.None);
        for (var i = 0; i < Capacity; i++)
        {
            await adapter.QueueMessageBatchAsync(Lane, new[] { $"filler {i}" }, token: null, requestContext: null);
        }

        return adapter;
    }
}
