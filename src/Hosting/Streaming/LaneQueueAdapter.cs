using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>
/// The lane stream provider's adapter: publishing puts the events on an in-process queue of this
/// silo, which this silo's own pulling agent reads (<see cref="AllQueuesBalancer"/> gives every silo
/// every queue). So a generation's items never cross to another silo before delivery; the agent
/// delivers them to the subscribed web front through Orleans, wherever that web front is attached.
/// </summary>
internal sealed class LaneQueueAdapter(string name, IStreamQueueMapper mapper, LaneQueue[] queues, TimeSpan idleWait) : IQueueAdapter
{
    private readonly Dictionary<QueueId, LaneQueue> _byId = mapper.GetAllQueues().Zip(queues).ToDictionary(p => p.First, p => p.Second);

    public string Name { get; } = name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var queue = _byId[mapper.GetQueueForStream(streamId)];
        var items = new List<object>();
        foreach (var e in events)
        {
            if (e is not null) items.Add(e);
        }

        if (!queue.TryEnqueue(streamId, items))
        {
            // The same exception type Orleans' memory queue throws when full; the runner maps it to stream_overloaded.
            throw new InvalidOperationException($"Can not enqueue since the lane queue {mapper.GetQueueForStream(streamId)} is full.");
        }

        return Task.CompletedTask;
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new LaneQueueReceiver(_byId[queueId], idleWait);
}
