using Orleans.Runtime;
using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Tests.Generation;

/// <summary>
/// A completion stream that records what is published. After <c>acceptedTokens</c> chunks it hands every
/// further chunk to the production lane queue filled to capacity (<see cref="FullLaneQueue"/>), which
/// refuses it as a full lane does in a silo; terminal items always go through. Given
/// <c>holdFirstChunk</c>, the first chunk's publish stays in flight until that task completes.
/// </summary>
public sealed class RecordingStream(int acceptedTokens = int.MaxValue, Task? holdFirstChunk = null) : IAsyncStream<LaneItem>
{
    private readonly TaskCompletionSource<CompletionEvent> _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstChunkOffered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _chunks = new();
    private readonly SemaphoreSlim _chunkArrived = new(0);
    private int _tokens;

    public Task<CompletionEvent> Terminal => _terminal.Task;

    /// <summary>Completes when the first chunk reaches the stream, before any hold is released.</summary>
    public Task FirstChunkOffered => _firstChunkOffered.Task;

    /// <summary>The accepted chunks joined, in order.</summary>
    public string Text => string.Concat(_chunks);

    /// <summary>Waits until the accepted chunks add up to <paramref name="expected"/>; fails naming what arrived.</summary>
    public async Task WaitForTextAsync(string expected, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (Text != expected)
        {
            try
            {
                await _chunkArrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the stream holds \"{Text}\" after {timeout}, expected \"{expected}\"");
            }
        }
    }

    public int Tokens => Volatile.Read(ref _tokens);

    /// <summary>The texts of the accepted chunks, in order.</summary>
    public IReadOnlyCollection<string> Chunks => _chunks;

    public async Task OnNextAsync(LaneItem laneItem, StreamSequenceToken? token = null)
    {
        var item = laneItem.Event;
        if (item.IsTerminal)
        {
            _terminal.TrySetResult(item);
            return;
        }

        if (_firstChunkOffered.TrySetResult() && holdFirstChunk is not null)
        {
            await holdFirstChunk;
        }

        if (Interlocked.Increment(ref _tokens) > acceptedTokens)
        {
            Interlocked.Decrement(ref _tokens);
            await FullLaneQueue.PublishAsync(laneItem);
            throw new InvalidOperationException("the full lane queue took an item; the test's premise is broken");
        }

        _chunks.Enqueue(item.Text);
        _chunkArrived.Release();
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
