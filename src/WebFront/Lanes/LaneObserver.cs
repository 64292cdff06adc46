using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.WebFront.Lanes;

/// <summary>
/// The subscriber of one lane. Deliveries to a client share one sequential pump across all its
/// lanes, so this only hands each item to its request's inbox and returns; it never waits or throws.
/// </summary>
internal sealed class LaneObserver(LaneHub hub, string laneKey) : IAsyncObserver<LaneItem>
{
    public Task OnNextAsync(LaneItem item, StreamSequenceToken? token = null)
    {
        hub.Dispatch(item, laneKey);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
