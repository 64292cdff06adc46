using System.Threading.Channels;
using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests;

/// <summary>Subscribes to a request's completion stream from the cluster client and collects its items.</summary>
public sealed class CompletionStreamReader : IAsyncObserver<CompletionEvent>, IAsyncDisposable
{
    private readonly Channel<CompletionEvent> _items = Channel.CreateUnbounded<CompletionEvent>();
    private StreamSubscriptionHandle<CompletionEvent>? _handle;

    public Guid RequestId { get; } = Guid.NewGuid();

    public static async Task<CompletionStreamReader> SubscribeAsync(IClusterClient client)
    {
        var reader = new CompletionStreamReader();
        reader._handle = await client.GetStreamProvider(RouterStreams.ProviderName)
            .GetStream<CompletionEvent>(RouterStreams.ForRequest(reader.RequestId))
            .SubscribeAsync(reader);
        return reader;
    }

    /// <summary>The next item, for tests that act in the middle of a stream.</summary>
    public async Task<CompletionEvent> ReadNextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _items.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No item on stream {RequestId} within {timeout}.");
        }
    }

    /// <summary>All items up to and including the terminal one.</summary>
    public async Task<List<CompletionEvent>> ReadToTerminalAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var items = new List<CompletionEvent>();
        try
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync(cts.Token);
                items.Add(item);
                if (item.IsTerminal) return items;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No terminal item on stream {RequestId} within {timeout}; got {items.Count} items.");
        }
    }

    public Task OnNextAsync(CompletionEvent item, StreamSequenceToken? token = null)
    {
        _items.Writer.TryWrite(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null) await _handle.UnsubscribeAsync();
    }
}
