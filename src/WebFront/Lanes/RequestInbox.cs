using System.Threading.Channels;
using Router.Grains.Interfaces;

namespace Router.WebFront.Lanes;

/// <summary>
/// The buffer between a lane and the HTTP response of one request. The lane's observer only hands
/// items in (<see cref="Deliver"/> never waits: every lane of a client shares one delivery pump);
/// the response reads them out. The text it holds is bounded in bytes: a client that reads slower than the
/// model writes overflows it, and the request then ends with <c>client_too_slow</c>.
/// </summary>
public sealed class RequestInbox(Guid requestId, string laneKey, long maxBufferedBytes)
{
    private readonly Channel<LaneItem> _items = Channel.CreateUnbounded<LaneItem>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    private long _bufferedBytes;
    private CompletionError? _failure;

    public Guid RequestId { get; } = requestId;

    /// <summary>The lane the answer comes on.</summary>
    public string LaneKey { get; } = laneKey;

    /// <summary>Set once the inbox was failed (overflow, lost lane); nothing more is accepted.</summary>
    public CompletionError? Failure => Volatile.Read(ref _failure);

    public ChannelReader<LaneItem> Reader => _items.Reader;

    /// <summary>Called when the bound is crossed, on the delivering thread: must only flip switches.</summary>
    public Action? Overflowed { get; set; }

    /// <summary>Hands one item in; false when it was refused (overflow or failed inbox).</summary>
    public bool Deliver(LaneItem item)
    {
        if (Failure is not null) return false;
        if (Interlocked.Add(ref _bufferedBytes, Size(item)) > maxBufferedBytes && !item.Event.IsTerminal)
        {
            Fail(new CompletionError(ErrorCodes.ClientTooSlow,
                "The client read the answer slower than the model wrote it; the answer was stopped."));
            Overflowed?.Invoke();
            return false;
        }

        return _items.Writer.TryWrite(item);
    }

    /// <summary>Marks one item as written to the client.</summary>
    public void Consumed(LaneItem item) => Interlocked.Add(ref _bufferedBytes, -Size(item));

    /// <summary>What an item's text occupies in memory (UTF-16).</summary>
    private static long Size(LaneItem item) => (long)item.Event.PayloadChars * sizeof(char);

    /// <summary>Ends the inbox with an error; what was delivered before stays readable. False when already failed.</summary>
    public bool Fail(CompletionError error)
    {
        if (Interlocked.CompareExchange(ref _failure, error, null) is not null) return false;
        _items.Writer.TryComplete();
        return true;
    }
}
