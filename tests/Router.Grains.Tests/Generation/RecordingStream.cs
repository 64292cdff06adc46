using Orleans.Runtime;
using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// A completion stream that records what is published. After <c>acceptedTokens</c> chunks it refuses
/// every further chunk the way a full memory queue does; terminal items always go through.
/// </summary>
public sealed class RecordingStream(int acceptedTokens = int.MaxValue) : IAsyncStream<LaneItem>
{
    private readonly TaskCompletionSource<CompletionEvent> _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _chunks = new();
    private int _tokens;

    public Task<CompletionEvent> Terminal => _terminal.Task;

    public int Tokens => Volatile.Read(ref _tokens);

    /// <summary>The texts of the accepted chunks, in order.</summary>
    public IReadOnlyCollection<string> Chunks => _chunks;

    public Task OnNextAsync(LaneItem laneItem, StreamSequenceToken? token = null)
    {
        var item = laneItem.Event;
        if (item.IsTerminal)
        {
            _terminal.TrySetResult(item);
            return Task.CompletedTask;
        }

        if (Interlocked.Increment(ref _tokens) > acceptedTokens)
        {
            Interlocked.Decrement(ref _tokens);
            throw new InvalidOperationException("Can not enqueue since the count has reached its maximum of 16384");
        }

        _chunks.Enqueue(item.Text);
        return Task.CompletedTask;
    }

    public bool IsRewindable => false;

    public string ProviderName => RouterStreams.ProviderName;

    public StreamId StreamId => RouterStreams.ForLane("recording/0");

    public Task OnNextBatchAsync(IEnumerable<LaneItem> batch, StreamSequenceToken? token = null) => throw new NotSupportedException();

    public Task OnCompletedAsync() => throw new NotSupportedException();

    public Task OnErrorAsync(Exception ex) => throw new NotSupportedException();

    public Task<StreamSubscriptionHandle<LaneItem>> SubscribeAsync(IAsyncObserver<LaneItem> observer) => throw new NotSupportedException();

    public Task<StreamSubscriptionHandle<LaneItem>> SubscribeAsync(IAsyncObserver<LaneItem> observer, StreamSequenceToken? token, string? filterData = null) => throw new NotSupportedException();

    public Task<StreamSubscriptionHandle<LaneItem>> SubscribeAsync(IAsyncBatchObserver<LaneItem> observer) => throw new NotSupportedException();

    public Task<StreamSubscriptionHandle<LaneItem>> SubscribeAsync(IAsyncBatchObserver<LaneItem> observer, StreamSequenceToken? token) => throw new NotSupportedException();

    public Task<IList<StreamSubscriptionHandle<LaneItem>>> GetAllSubscriptionHandles() => throw new NotSupportedException();

    public bool Equals(IAsyncStream<LaneItem>? other) => ReferenceEquals(this, other);

    public int CompareTo(IAsyncStream<LaneItem>? other) => ReferenceEquals(this, other) ? 0 : 1;
}
