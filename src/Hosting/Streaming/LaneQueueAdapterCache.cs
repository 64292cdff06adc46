using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>Makes each lane queue's cache (<see cref="LaneQueueCache"/>) for the queue's pulling agent.</summary>
internal sealed class LaneQueueAdapterCache(int cacheSize, string providerName, ILoggerFactory loggerFactory) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new LaneQueueCache(
        // Logged under the name Orleans' own adapter cache gives it, so its settings keep applying.
        new SimpleQueueCache(cacheSize, loggerFactory.CreateLogger($"{typeof(SimpleQueueCache).FullName}.{providerName}.{queueId}")),
        queueId,
        loggerFactory.CreateLogger<LaneQueueCache>());
}
