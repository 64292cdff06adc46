using System.Threading.Channels;

namespace Router.Hosting.Streaming;

/// <summary>One in-process queue of the lane stream provider; many producers, one pulling agent.</summary>
internal sealed class LaneQueue(int capacity)
{
    // Bounded so that a stalled agent shows up as a failed publish (stream_overloaded) instead of
    // unbounded memory; the sequence token is assigned by the single reader, so it follows queue order.
    private readonly Channel<PendingBatch> _items = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
        AllowSynchronousContinuations = false,
    });

    public ChannelReader<PendingBatch> Reader => _items.Reader;

    public int Count => _items.Reader.Count;

    public bool TryEnqueue(StreamId streamId, List<object> events) => _items.Writer.TryWrite(new PendingBatch(streamId, events));
}

internal readonly record struct PendingBatch(StreamId StreamId, List<object> Events);
