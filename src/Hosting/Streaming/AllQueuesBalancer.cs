using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>
/// Gives every silo every lane queue. Lane queues are in-process, so each silo must read the queues
/// its own generations write to; no queue is shared between silos, so there is nothing to balance
/// and nothing changes when silos join or leave.
/// </summary>
internal sealed class AllQueuesBalancer : IStreamQueueBalancer
{
    private QueueId[] _queues = [];

    public Task Initialize(IStreamQueueMapper queueMapper)
    {
        _queues = queueMapper.GetAllQueues().ToArray();
        return Task.CompletedTask;
    }

    public Task Shutdown() => Task.CompletedTask;

    public IEnumerable<QueueId> GetMyQueues() => _queues;

    public bool SubscribeToQueueDistributionChangeEvents(IStreamQueueBalanceListener observer) => true;

    public bool UnSubscribeFromQueueDistributionChangeEvents(IStreamQueueBalanceListener observer) => true;
}
