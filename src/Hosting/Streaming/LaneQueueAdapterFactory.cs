using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;
using Router.Grains.Options;

namespace Router.Hosting.Streaming;

/// <summary>Builds the lane stream provider's parts: in-process queues, the hash-ring mapper and the queues' caches.</summary>
internal sealed class LaneQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly StreamingOptions _options;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly LaneQueueAdapterCache _cache;
    private readonly IStreamFailureHandler _failureHandler = new NoOpStreamDeliveryFailureHandler();
    private LaneQueueAdapter? _adapter;

    private LaneQueueAdapterFactory(string name, StreamingOptions options, ILoggerFactory loggerFactory)
    {
        _name = name;
        _options = options;
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.Queues }, name);
        _cache = new LaneQueueAdapterCache(options.CacheSize, name, loggerFactory);
    }

    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new LaneQueueAdapterFactory(
        name,
        services.GetService<IOptions<StreamingOptions>>()?.Value ?? new StreamingOptions(),
        services.GetRequiredService<ILoggerFactory>());

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        _adapter ??= new LaneQueueAdapter(
            _name, _mapper,
            _mapper.GetAllQueues().Select(_ => new LaneQueue(_options.QueueCapacity)).ToArray(),
            _options.ReceiveWait);
        return Task.FromResult<IQueueAdapter>(_adapter);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failureHandler);
}
