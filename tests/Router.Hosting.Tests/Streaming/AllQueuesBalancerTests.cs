using Orleans.Streams;
using Router.Hosting.Streaming;

namespace Router.Hosting.Tests.Streaming;

/// <summary>Every silo reads every lane queue, since each one's generations write to its own in-process queues.</summary>
public sealed class AllQueuesBalancerTests
{
    [Fact]
    public async Task Every_silo_gets_every_queue_and_nothing_changes_when_silos_come_and_go()
    {
        var (_, mapper) = await LaneQueues.CreateAsync(queues: 8, capacity: 16, TimeSpan.FromSeconds(1));
        var first = new AllQueuesBalancer();
        var second = new AllQueuesBalancer();
        Assert.Empty(first.GetMyQueues());

        await first.Initialize(mapper);
        await second.Initialize(mapper);

        Assert.Equal(8, first.GetMyQueues().Count());
        Assert.Equal(mapper.GetAllQueues().Order(), first.GetMyQueues().Order());
        Assert.Equal(first.GetMyQueues().Order(), second.GetMyQueues().Order());
        Assert.True(first.SubscribeToQueueDistributionChangeEvents(null!));
        await first.Shutdown();
        Assert.Equal(mapper.GetAllQueues().Order(), second.GetMyQueues().Order());
    }
}
