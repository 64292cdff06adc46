using Orleans.Streams;

namespace Router.Hosting.Tests.Streaming;

/// <summary>
/// The pulling agent's side of a lane queue: a read that finds the queue empty waits for data (up to the
/// receive wait) and returns as soon as an item is published; shutdown and cancellation end the wait.
/// </summary>
public sealed class LaneQueueReceiverTests
{
    /// <summary>Long, so that a read which returns early returned because of the event under test.</summary>
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_empty_read_returns_the_item_published_while_it_waits()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 1, capacity: 16, LongWait);
        var lane = LaneQueues.Lane("front-r/0");
        var receiver = adapter.CreateReceiver(mapper.GetQueueForStream(lane));

        var read = receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        Assert.False(read.IsCompleted, "an empty queue must make the read wait");
        await LaneQueues.PublishAsync(adapter, lane, "wake up");

        var batch = Assert.Single(await read.WaitAsync(Bound));
        Assert.Equal("wake up", batch.GetEvents<string>().Single().Item1);
    }

    [Fact]
    public async Task Sequence_tokens_follow_the_queue_order_across_reads()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 1, capacity: 16, LongWait);
        var lane = LaneQueues.Lane("front-r/1");
        var receiver = adapter.CreateReceiver(mapper.GetQueueForStream(lane));
        for (var i = 0; i < 5; i++) await LaneQueues.PublishAsync(adapter, lane, $"item {i}");

        var first = await receiver.GetQueueMessagesAsync(2, CancellationToken.None);
        var second = await receiver.GetQueueMessagesAsync(0, CancellationToken.None); // 0: no limit
        var events = first.Concat(second).SelectMany(b => b.GetEvents<string>()).ToList();
        var tokens = events.Select(e => e.Item2).ToList();

        // The limit counts published items; what one read took of one lane is one container.
        Assert.Equal([2, 3], [first.Sum(b => b.GetEvents<string>().Count()), second.Sum(b => b.GetEvents<string>().Count())]);
        Assert.All(tokens.Zip(tokens.Skip(1)), pair => Assert.True(pair.First.CompareTo(pair.Second) < 0, $"{pair.First} should come before {pair.Second}"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"item {i}"), events.Select(e => e.Item1));
    }

    [Fact]
    public async Task What_queued_up_for_one_lane_is_read_as_one_container_in_publish_order_lanes_apart()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 1, capacity: 64, LongWait);
        var (a, b) = (LaneQueues.Lane("front-m/0"), LaneQueues.Lane("front-m/1"));
        var receiver = adapter.CreateReceiver(mapper.GetQueueForStream(a));
        for (var i = 0; i < 6; i++)
        {
            await LaneQueues.PublishAsync(adapter, i % 3 == 2 ? b : a, $"item {i}");
        }

        var read = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);

        Assert.Equal([a, b], read.Select(c => c.StreamId));
        Assert.Equal(["item 0", "item 1", "item 3", "item 4"], read[0].GetEvents<string>().Select(e => e.Item1));
        Assert.Equal(["item 2", "item 5"], read[1].GetEvents<string>().Select(e => e.Item1));
        Assert.True(read[0].SequenceToken.CompareTo(read[1].SequenceToken) < 0, "containers keep the order of their first items");
    }

    [Fact]
    public async Task A_read_on_an_empty_queue_returns_nothing_once_its_receive_wait_is_over()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 1, capacity: 16, TimeSpan.FromMilliseconds(50));
        var receiver = adapter.CreateReceiver(mapper.GetAllQueues().Single());

        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None).WaitAsync(Bound));
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None).WaitAsync(Bound));
    }

    [Fact]
    public async Task Shutdown_or_the_callers_token_ends_a_waiting_read_with_nothing()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 2, capacity: 16, LongWait);
        var queues = mapper.GetAllQueues().ToList();

        using var caller = new CancellationTokenSource();
        var cancelled = adapter.CreateReceiver(queues[0]).GetQueueMessagesAsync(10, caller.Token);
        Assert.False(cancelled.IsCompleted);
        await caller.CancelAsync();
        Assert.Empty(await cancelled.WaitAsync(Bound));

        var receiver = adapter.CreateReceiver(queues[1]);
        var stopped = receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        Assert.False(stopped.IsCompleted);
        await receiver.Shutdown(Bound);
        Assert.Empty(await stopped.WaitAsync(Bound));
    }
}
