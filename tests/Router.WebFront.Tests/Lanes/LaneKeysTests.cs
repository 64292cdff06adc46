using Orleans.Configuration;
using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.WebFront.Lanes;

namespace Router.WebFront.Tests.Lanes;

public sealed class LaneKeysTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(32)]
    public void A_web_fronts_lanes_cover_every_queue_once(int queues)
    {
        var keys = LaneKeys.Spread(Guid.NewGuid().ToString("N"), queues);
        var mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = queues }, RouterStreams.ProviderName);

        Assert.Equal(queues, keys.Length);
        Assert.Equal(queues, keys.Distinct().Count());
        Assert.Equal(queues, keys.Select(k => mapper.GetQueueForStream(RouterStreams.ForLane(k))).Distinct().Count());
    }
}
