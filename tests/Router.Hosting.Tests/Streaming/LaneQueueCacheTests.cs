using Orleans.Runtime;
using Orleans.Streams;
using Router.Grains.Options;

namespace Router.Hosting.Tests.Streaming;

/// <summary>
/// A lane queue's cache, called in the order the pulling agent calls it when a lane's subscription is
/// renewed while the lane's items flow: the agent reads the lane's first item during the new
/// subscriber's handshake and notes it as the subscriber's start, nothing holds that item, a purge drops
/// it, and the handshake then asks for a cursor at it. The lane must be delivered again from the oldest
/// item the cache holds, not fail on every read (Orleans' <c>SimpleQueueCache</c> throws
/// <see cref="QueueCacheMissException"/> there: "Requested: SeqNum=1 …, Low: SeqNum=2 …").
/// </summary>
public sealed class LaneQueueCacheTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_cursor_asked_for_at_an_item_dropped_from_an_emptied_cache_delivers_the_lanes_next_items()
    {
        var queue = await Queue.CreateAsync(cacheSize: 4096);
        var lane = LaneQueues.Lane("front-k/0");

        // The agent reads the lane's item while the renewed subscriber's handshake is under way.
        var pendingStart = (await queue.ReadAsync(lane, "item 1")).SequenceToken;
        // The next read's purge: no cursor holds the item, so it goes and the cache is empty.
        Assert.True(queue.Cache.TryPurgeFromCache(out var purged), "purge: the unheld item should be dropped");
        Assert.Single(purged);

        // The handshake ends: the subscriber's cursor is asked for at the dropped item.
        var cursor = queue.CursorAt(lane, pendingStart);
        Assert.Empty(Drain(cursor));

        // Each read that brings the lane's items refreshes the waiting cursor with the first of them.
        var next = await queue.ReadAsync(lane, "item 2");
        cursor.Refresh(next.SequenceToken);
        Assert.Equal(["item 2"], Drain(cursor));
        var later = await queue.ReadAsync(lane, "item 3");
        cursor.Refresh(later.SequenceToken);
        Assert.Equal(["item 3"], Drain(cursor));
    }

    [Fact]
    public async Task A_cursor_asked_for_before_the_oldest_held_item_starts_at_the_lanes_oldest_held_item()
    {
        // A cache of 16 counts its cursors per item, so one item can go while the next one stays.
        var queue = await Queue.CreateAsync(cacheSize: 16);
        var lane = LaneQueues.Lane("front-k/1");
        var other = LaneQueues.Lane("front-k/2");
        var dropped = (await queue.ReadAsync(lane, "item 1")).SequenceToken;
        var held = (await queue.ReadAsync(other, "other 1")).SequenceToken;
        await queue.ReadAsync(lane, "item 2");

        // Another stream's subscriber, not yet past its item, holds everything from there on; item 1 goes.
        var holder = queue.CursorAt(other, held);
        Assert.True(queue.Cache.TryPurgeFromCache(out var purged), "purge: the unheld item should be dropped");
        Assert.Equal(["item 1"], purged.SelectMany(b => b.GetEvents<string>()).Select(e => e.Item1));

        var late = queue.CursorAt(lane, dropped);
        Assert.Equal(["item 2"], Drain(late));
        Assert.Equal(["other 1"], Drain(holder));

        // A token the cache holds still starts the cursor at its own item.
        var onTime = queue.CursorAt(other, held);
        Assert.Equal(["other 1"], Drain(onTime));
    }

    private static List<string> Drain(IQueueCacheCursor cursor)
    {
        var items = new List<string>();
        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            var batch = cursor.GetCurrent(out var error);
            Assert.Null(error);
            items.AddRange(batch!.GetEvents<string>().Select(e => e.Item1));
        }

        return items;
    }

    /// <summary>One lane queue with its receiver and cache, built by the provider's factory.</summary>
    private sealed class Queue(IQueueAdapter adapter, IQueueAdapterReceiver receiver, IQueueCache cache)
    {
        public IQueueCache Cache { get; } = cache;

        public static async Task<Queue> CreateAsync(int cacheSize)
        {
            var factory = LaneQueues.Factory(new StreamingOptions { Queues = 1, QueueCapacity = 16, ReceiveWait = Wait, CacheSize = cacheSize });
            var adapter = await factory.CreateAdapter(CancellationToken.None);
            var id = factory.GetStreamQueueMapper().GetAllQueues().Single();
            return new Queue(adapter, adapter.CreateReceiver(id), factory.GetQueueAdapterCache().CreateQueueCache(id));
        }

        /// <summary>Publishes one item and reads it into the cache, as the agent's read does.</summary>
        public async Task<IBatchContainer> ReadAsync(StreamId stream, string item)
        {
            await LaneQueues.PublishAsync(adapter, stream, item);
            var batches = await receiver.GetQueueMessagesAsync(Cache.GetMaxAddCount(), CancellationToken.None).WaitAsync(Wait);
            Cache.AddToCache(batches);
            return Assert.Single(batches);
        }

        /// <summary>A cursor at <paramref name="token"/>, as the agent asks for one: a miss is a failed test.</summary>
        public IQueueCacheCursor CursorAt(StreamId stream, StreamSequenceToken token)
        {
            var result = Cache.TryGetCacheCursor(stream, token);
            Assert.True(result.Kind == QueueCacheCursorResultKind.Success, $"cursor at {token}: {result.Kind} {result.CacheMiss?.Requested} (oldest held {result.CacheMiss?.Low})");
            return result.Cursor!;
        }
    }
}
