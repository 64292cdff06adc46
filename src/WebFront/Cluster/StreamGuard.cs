using System.Diagnostics;
using Router.Grains.Interfaces;

namespace Router.WebFront.Cluster;

/// <summary>
/// What can end one open SSE stream from outside: its silo was lost, or the web front's drain time
/// ran out. <see cref="Token"/> fires once, and <see cref="Reason"/> says why.
/// </summary>
public sealed class StreamGuard : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private CompletionError? _reason;
    private long _lastItem = Stopwatch.GetTimestamp();

    public CancellationToken Token => _ended.Token;

    /// <summary>Why the stream must end; set before <see cref="Token"/> fires.</summary>
    public CompletionError? Reason => Volatile.Read(ref _reason);

    /// <summary>The silo running the generation, when known.</summary>
    public SiloAddress? Silo { get; set; }

    /// <summary>Stopwatch timestamp of the moment watching began.</summary>
    public long WatchedSince { get; set; }

    /// <summary>Stopwatch timestamp of the last item received.</summary>
    public long LastItem => Interlocked.Read(ref _lastItem);

    public void ItemReceived() => Interlocked.Exchange(ref _lastItem, Stopwatch.GetTimestamp());

    /// <summary>Ends the stream with <paramref name="reason"/>; false when it had already been ended.</summary>
    public bool End(CompletionError reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is not null) return false;
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        return true;
    }

    public void Dispose() => _ended.Dispose();
}
