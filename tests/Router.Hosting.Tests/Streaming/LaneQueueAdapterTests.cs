using Orleans.Streams;

namespace Router.Hosting.Tests.Streaming;

/// <summary>
/// The lane queue as producers see it: bounded, and a full queue refuses a publish with the error the
/// completion runner turns into <c>stream_overloaded</c> (an <see cref="InvalidOperationException"/>).
/// </summary>
public sealed class LaneQueueAdapterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_full_queue_refuses_the_next_publish_and_takes_items_again_once_its_reader_made_room()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 1, capacity: 16, Wait);
        var lane = LaneQueues.Lane("front-a/0");
        for (var i = 0; i < 16; i++) await LaneQueues.PublishAsync(adapter, lane, $"item {i}");

        var full = await Assert.ThrowsAsync<InvalidOperationException>(() => LaneQueues.PublishAsync(adapter, lane, "one too many"));
        Assert.Contains("full", full.Message, StringComparison.Ordinal);

        var receiver = adapter.CreateReceiver(mapper.GetQueueForStream(lane));
        var read = await receiver.GetQueueMessagesAsync(4, CancellationToken.None);
        Assert.Equal(4, read.Sum(b => b.GetEvents<string>().Count()));
        await LaneQueues.PublishAsync(adapter, lane, "after room was made");

        var rest = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
        Assert.Equal(
            Enumerable.Range(4, 12).Select(i => $"item {i}").Append("after room was made"),
            rest.SelectMany(b => b.GetEvents<string>()).Select(e => e.Item1));
    }

    [Fact]
    public async Task Each_lane_goes_to_the_queue_the_mapper_names_and_only_that_queues_receiver_reads_it()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 4, capacity: 16, Wait);
        var lanes = Enumerable.Range(0, 40).Select(i => LaneQueues.Lane($"front-b/{i}")).ToList();
        foreach (var lane in lanes) await LaneQueues.PublishAsync(adapter, lane, lane.ToString());

        var seen = new List<string>();
        foreach (var queue in mapper.GetAllQueues())
        {
            var batches = await adapter.CreateReceiver(queue).GetQueueMessagesAsync(100, CancellationToken.None);
            Assert.All(batches, b => Assert.Equal(queue, mapper.GetQueueForStream(b.StreamId)));
            seen.AddRange(batches.Select(b => b.GetEvents<string>().Single().Item1));
        }

        Assert.Equal(lanes.Select(l => l.ToString()).Order(), seen.Order());
    }

    [Fact]
    public async Task Null_events_are_dropped_and_one_publish_is_one_batch_in_order()
    {
        var (adapter, mapper) = await LaneQueues.CreateAsync(queues: 1, capacity: 16, Wait);
        var lane = LaneQueues.Lane("front-c/0");
        await adapter.QueueMessageBatchAsync(lane, new[] { "a", null, "b" }, token: null, requestContext: null);

        var batch = Assert.Single(await adapter.CreateReceiver(mapper.GetQueueForStream(lane)).GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.Equal(lane, batch.StreamId);
        Assert.Equal(["a", "b"], batch.GetEvents<string>().Select(e => e.Item1));
        Assert.Equal(StreamProviderDirection.ReadWrite, adapter.Direction);
        Assert.False(adapter.IsRewindable);
    }
}
