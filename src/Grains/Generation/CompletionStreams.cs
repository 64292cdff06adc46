using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>Where a generation publishes: the request's completion stream.</summary>
public interface ICompletionStreams
{
    IAsyncStream<CompletionEvent> For(Guid requestId);
}

/// <summary>The Orleans memory stream named by <see cref="RouterStreams"/>.</summary>
public sealed class OrleansCompletionStreams(IClusterClient client) : ICompletionStreams
{
    public IAsyncStream<CompletionEvent> For(Guid requestId) =>
        client.GetStreamProvider(RouterStreams.ProviderName).GetStream<CompletionEvent>(RouterStreams.ForRequest(requestId));
}
