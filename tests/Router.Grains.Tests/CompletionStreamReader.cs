using System.Threading.Channels;
using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests;

/// <summary>
/// Subscribes, from the cluster client, to a lane of its own for one request and collects that
/// request's items in order (checking their sequence numbers).
/// </summary>
public sealed class CompletionStreamReader : IAsyncObserver<LaneItem>, IAsyncDisposable
{
    private readonly Channel<CompletionEvent> _items = Channel.CreateUnbounded<CompletionEvent>();
    private StreamSubscriptionHandle<LaneItem>? _handle;
    private int _expected;

    public Guid RequestId { get; } = Guid.NewGuid();

    /// <summary>The lane the request must name as its reply lane.</summary>
    public string Lane { get; } = RouterStreams.LaneKey($"test-{Guid.NewGuid():N}", 0);

    /// <summary>A request for this reader's request id and lane.</summary>
    public CompletionRequest Request(string message) => new(RequestId, message, Lane);

    public static async Task<CompletionStreamReader> SubscribeAsync(IClusterClient client)
    {
        var reader = new CompletionStreamReader();
        reader._handle = await client.GetStreamProvider(RouterStreams.ProviderName)
            .GetStream<LaneItem>(RouterStreams.ForLane(reader.Lane))
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

    public Task OnNextAsync(LaneItem item, StreamSequenceToken? token = null)
    {
        if (item.RequestId != RequestId) return Task.CompletedTask;
        if (item.Sequence != _expected++)
        {
            _items.Writer.TryComplete(new InvalidOperationException($"item {item.Sequence} arrived where {_expected - 1} was due"));
            return Task.CompletedTask;
        }

        _items.Writer.TryWrite(item.Event);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null) await _handle.UnsubscribeAsync();
    }
}
