using System.Threading.Channels;
using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.WebFront.Completions;

/// <summary>Hands the items of one completion stream to the HTTP response that relays them.</summary>
public sealed class CompletionStreamObserver(ChannelWriter<CompletionEvent> writer) : IAsyncObserver<CompletionEvent>
{
    public Task OnNextAsync(CompletionEvent item, StreamSequenceToken? token = null)
    {
        writer.TryWrite(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync()
    {
        writer.TryComplete();
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        writer.TryComplete(ex);
        return Task.CompletedTask;
    }
}
