using Orleans.Streams;
using Router.Grains.Interfaces;

namespace Router.Grains.Generation;

/// <summary>Where a generation publishes: the lane of the web front that serves its request.</summary>
public interface ICompletionStreams
{
    IAsyncStream<LaneItem> ForLane(string laneKey);
}

/// <summary>The lane streams named by <see cref="RouterStreams"/>.</summary>
public sealed class OrleansCompletionStreams(IClusterClient client) : ICompletionStreams
{
    public IAsyncStream<LaneItem> ForLane(string laneKey) =>
        client.GetStreamProvider(RouterStreams.ProviderName).GetStream<LaneItem>(RouterStreams.ForLane(laneKey));
}

/// <summary>
/// Publishes one request's events on its lane, numbering them in order, and keeps what it published
/// (up to <paramref name="maxLogBytes"/>) so the answer can be resumed: <see cref="ResumeAsync"/>
/// republishes the items after a given number onto another lane and moves the live tail there.
/// One gate orders publishing and resuming, so the receiving inbox sees a single ordered sequence.
/// A detached publisher (its client left) only keeps items until it is resumed. While it runs, its
/// log also draws on the silo's <see cref="ReplayBudget"/>; a log the budget cannot take is dropped.
/// </summary>
internal sealed class LanePublisher(IAsyncStream<LaneItem>? lane, Guid requestId, long maxLogBytes, ReplayBudget? budget = null, string model = "")
{
    /// <summary>What a kept item costs besides its text (the record, the string's header and the list slot), roughly.</summary>
    private const int ItemOverheadBytes = 96;

    private readonly SemaphoreSlim _gate = new(1, 1);

    // The events alone: item i of the log has sequence number i, so the lane item around it is made
    // again on resume instead of being kept for every token of every open stream.
    private readonly List<CompletionEvent> _log = [];
    private IAsyncStream<LaneItem>? _lane = lane;
    private int _sequence;
    private int _epoch;

    /// <summary>The sequence number the next item will carry.</summary>
    public int Next => _sequence;

    /// <summary>Memory the kept items take, roughly.</summary>
    public long LogBytes { get; private set; }

    /// <summary>True once the log outgrew its bound: it was dropped and the answer cannot be resumed.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>True once the terminal item was published (or kept).</summary>
    public bool Finished { get; private set; }

    /// <summary>Changes whenever the answer is detached or resumed, so a pending grace can tell it was superseded.</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>True while no client is attached.</summary>
    public bool Detached => Volatile.Read(ref _lane) is null;

    /// <summary>Publishes one item; the number is spent only when the publish succeeds, so a retry reuses it.</summary>
    public async Task PublishAsync(CompletionEvent item)
    {
        await _gate.WaitAsync();
        try
        {
            var laneItem = new LaneItem(requestId, _sequence, item);
            if (_lane is { } target) await target.OnNextAsync(laneItem);
            _sequence++;
            Keep(item);
            Finished |= item.IsTerminal;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops publishing anywhere (items are still kept); returns the epoch this detach opened. Null
    /// when the answer is no longer on <paramref name="from"/>: it was resumed elsewhere since.
    /// </summary>
    public async Task<int?> DetachAsync(StreamId from)
    {
        await _gate.WaitAsync();
        try
        {
            if (_lane is not { } current || !current.StreamId.Equals(from)) return null;
            _lane = null;
            return Interlocked.Increment(ref _epoch);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Publishes the kept items after <paramref name="afterSequence"/> onto <paramref name="target"/>
    /// and sends everything later there too. False when the items are not all kept (the log overflowed)
    /// or the client claims a number that was never published.
    /// </summary>
    public async Task<bool> ResumeAsync(int afterSequence, IAsyncStream<LaneItem> target)
    {
        await _gate.WaitAsync();
        try
        {
            if (Overflowed || afterSequence < -1 || afterSequence >= _sequence) return false;
            if (_lane is { } old && !old.StreamId.Equals(target.StreamId))
            {
                // The reader still on the old lane (a stale connection, perhaps on another web front)
                // is told the answer moved: it ends, and does not stop the generation when it does.
                await TellMovedAsync(old);
            }

            for (var next = afterSequence + 1; next < _sequence; next++)
            {
                await target.OnNextAsync(new LaneItem(requestId, next, _log[next]));
            }

            _lane = target;
            Interlocked.Increment(ref _epoch);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task TellMovedAsync(IAsyncStream<LaneItem> old)
    {
        try
        {
            await old.OnNextAsync(new LaneItem(requestId, _sequence,
                CompletionEvent.Failed(model, ErrorCodes.StreamMoved, "This answer was resumed by another connection.")));
        }
        catch (Exception)
        {
            // Its web front is gone or its queue is full: a reader there, if any, ends by its own timeouts.
        }
    }

    private void Keep(CompletionEvent item)
    {
        if (Overflowed) return;
        var bytes = ItemOverheadBytes + (long)item.PayloadChars * sizeof(char);
        if (LogBytes + bytes <= maxLogBytes && (budget is null || budget.TryTake(bytes)))
        {
            LogBytes += bytes;
            _budgeted += bytes;
            _log.Add(item);
            return;
        }

        Overflowed = true;
        _log.Clear();
        _log.TrimExcess();
        LogBytes = 0;
        ReturnBudget();
    }

    private long _budgeted;

    /// <summary>Gives the log's share of the running budget back (the answer ended, or its log was dropped).</summary>
    public void ReturnBudget()
    {
        var bytes = Interlocked.Exchange(ref _budgeted, 0);
        if (bytes > 0) budget?.Return(bytes);
    }
}
