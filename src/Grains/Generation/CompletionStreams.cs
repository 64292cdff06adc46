using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>Where a generation publishes: the lane of the web front that serves its request.</summary>
public interface ICompletionStreams
{
    IAsyncStream<LaneItem> ForLane(string laneKey);
}

/// <summary>The lane streams named by <see cref="RouterStreams"/>.</summary>
public sealed class OrleansCompletionStreams(IClusterClient client) : ICompletionStreams
{
    public IAsyncStream<LaneItem> ForLane(string laneKey) =>
        client.GetStreamProvider(RouterStreams.ProviderName).GetStream<LaneItem>(RouterStreams.ForLane(laneKey));
}

/// <summary>Publishes one request's events on its lane, numbering them in order.</summary>
internal sealed class LanePublisher(IAsyncStream<LaneItem> lane, Guid requestId)
{
    private int _sequence;

    /// <summary>The sequence number the next item will carry.</summary>
    public int Next => _sequence;

    /// <summary>Publishes one item; the number is spent only when the publish succeeds, so a retry reuses it.</summary>
    public async Task PublishAsync(CompletionEvent item)
    {
        await lane.OnNextAsync(new LaneItem(requestId, _sequence, item));
        _sequence++;
    }
}
