using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>
/// Reads one lane queue for the pulling agent. When the queue is empty it waits for data (up to
/// <c>idleWait</c>) inside <see cref="GetQueueMessagesAsync(int, CancellationToken)"/>, as Orleans'
/// own Event Hubs receiver does: the agent keeps reading while data comes back, so an item is
/// delivered the moment it is enqueued, and an idle silo wakes only once per wait.
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
        while (batches.Count < limit && reader.TryRead(out var pending))
        {
            batches.Add(new LaneBatchContainer(pending.StreamId, pending.Events, new EventSequenceToken(++_sequence)));
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
