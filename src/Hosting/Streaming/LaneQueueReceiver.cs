using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>
/// Reads one lane queue for the pulling agent. When the queue is empty it waits for data (up to
/// <c>idleWait</c>) inside <see cref="GetQueueMessagesAsync(int, CancellationToken)"/>, as Orleans'
/// own Event Hubs receiver does: the agent keeps reading while data comes back, so an item is
/// delivered the moment it is enqueued, and an idle silo wakes only once per wait. What queued up
/// for one lane since the last read is delivered as one container (one Orleans message).
/// </summary>
internal sealed class LaneQueueReceiver(LaneQueue queue, TimeSpan idleWait) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly RearmedTimeout _idle = new();
    private long _sequence;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var reader = queue.Reader;
        if (!reader.TryPeek(out _))
        {
            try
            {
                // Under load the queue empties and fills again thousands of times a second: each wait
                // re-arms one source instead of costing a new timer.
                if (!await reader.WaitToReadAsync(_idle.Arm(idleWait, cancellationToken, _shutdown.Token)).ConfigureAwait(false)) return Nothing;
            }
            catch (OperationCanceledException)
            {
                return Nothing;
            }
        }

        var limit = maxCount <= 0 ? int.MaxValue : maxCount;
        var batches = new List<IBatchContainer>(Math.Min(limit, Math.Max(1, queue.Count)));
        Dictionary<StreamId, LaneBatchContainer>? byStream = null;
        var read = 0;
        while (read < limit && reader.TryRead(out var pending))
        {
            read++;
            // Items of one lane (many requests of one web front) that queued up while the agent was
            // delivering travel as one container: one delivery call to the web front for all of them,
            // in the order they were published.
            if (byStream?.TryGetValue(pending.StreamId, out var open) == true)
            {
                open.Events.AddRange(pending.Events);
                continue;
            }

            var container = new LaneBatchContainer(pending.StreamId, pending.Events, new EventSequenceToken(++_sequence));
            batches.Add(container);
            // The usual case under light load is one item per read: no map for it.
            if (read == 1 && !reader.TryPeek(out _)) break;
            (byStream ??= []).Add(pending.StreamId, container);
        }

        return batches;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout)
    {
        _shutdown.Cancel();
        _idle.Dispose();
        return Task.CompletedTask;
    }
}
