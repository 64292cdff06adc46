using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Router.Grains.Interfaces;
using Router.WebFront.Cluster;
using Router.WebFront.Diagnostics;
using Router.WebFront.Options;

namespace Router.WebFront.Lanes;

/// <summary>
/// This web front's lanes: a few Orleans streams of its own, subscribed once at start and spread
/// over the provider's queues. Every request this web front serves gets an inbox registered here;
/// the lanes' items are demultiplexed into the inboxes by request id. A watchdog checks the
/// subscriptions with the pub-sub every <see cref="WebFrontOptions.LaneCheckPeriod"/>: a lane whose
/// subscription was lost is subscribed again, and the requests it carried end with
/// <c>stream_interrupted</c>, since their items may be gone.
/// </summary>
public sealed partial class LaneHub(
    IClusterClient cluster,
    IConfiguration configuration,
    IOptions<WebFrontOptions> options,
    SiloWatcher siloWatcher,
    WebFrontInstruments instruments,
    ILogger<LaneHub> logger) : BackgroundService
{
    /// <summary>Set when a check is due before the next period (a silo was lost).</summary>
    private readonly SemaphoreSlim _checkNow = new(0, 1);

    private static readonly CompletionError LaneLost = new(ErrorCodes.StreamInterrupted,
        "The router lost the channel carrying this answer; please retry.");

    private readonly WebFrontOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, RequestInbox> _inboxes = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lane[] _lanes = LaneKeys.Spread(Guid.NewGuid().ToString("N"), LaneKeys.QueueCount(configuration))
        .Select(key => new Lane(key)).ToArray();
    private int _next;

    /// <summary>The lane keys of this web front.</summary>
    public IReadOnlyList<string> Keys => _lanes.Select(l => l.Key).ToArray();

    /// <summary>Requests waiting for items right now.</summary>
    public int OpenInboxes => _inboxes.Count;

    /// <summary>True once every lane was subscribed at least once.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Waits until the lanes are subscribed; false when that did not happen within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IsReady) return true;
        try
        {
            await _ready.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Opens the inbox of a new request on one of the lanes.</summary>
    public RequestInbox Open(Guid requestId) =>
        OpenOn(requestId, _lanes[(int)((uint)Interlocked.Increment(ref _next) % (uint)_lanes.Length)].Key);

    /// <summary>Opens the inbox of a request on a subscribed lane other than <paramref name="avoid"/> (which was lost), if there is one.</summary>
    internal RequestInbox OpenElsewhere(Guid requestId, string avoid)
    {
        var live = _lanes.Where(l => l.Key != avoid && l.Handle is not null).ToArray();
        return OpenOn(requestId, live.Length == 0 ? avoid : live[(int)((uint)Interlocked.Increment(ref _next) % (uint)live.Length)].Key);
    }

    /// <summary>
    /// Opens an inbox on a given lane. A reader of the same answer already here (a stale connection
    /// the client resumed from) is told the answer moved, so it ends without stopping the generation.
    /// </summary>
    internal RequestInbox OpenOn(Guid requestId, string laneKey)
    {
        var inbox = new RequestInbox(requestId, laneKey, _options.MaxBufferedBytes);
        RequestInbox? replaced = null;
        _inboxes.AddOrUpdate(requestId, inbox, (_, old) =>
        {
            replaced = old;
            return inbox;
        });
        replaced?.Fail(AnswerMoved);
        return inbox;
    }

    internal static readonly CompletionError AnswerMoved = new(ErrorCodes.StreamMoved, "This answer was resumed by another connection.");

    /// <summary>Closes an inbox; items still coming for it are dropped.</summary>
    public void Close(RequestInbox inbox) => _inboxes.TryRemove(new KeyValuePair<Guid, RequestInbox>(inbox.RequestId, inbox));

    /// <summary>The lane an open request's answer comes on.</summary>
    internal string? LaneOf(Guid requestId) => _inboxes.TryGetValue(requestId, out var inbox) ? inbox.LaneKey : null;

    /// <summary>
    /// Hands an item to its request's inbox. Only the inbox's own lane counts: after a resume moved an
    /// answer to another lane, a late item of the lane it left must not slip in ahead of the replay.
    /// </summary>
    internal void Dispatch(LaneItem item, string laneKey)
    {
        if (_inboxes.TryGetValue(item.RequestId, out var inbox) && inbox.LaneKey == laneKey)
        {
            inbox.Deliver(item);
        }
        else
        {
            instruments.OrphanItem();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A lost silo may have held a lane's pub-sub state: check at once rather than at the next period.
        siloWatcher.Lost += CheckSoon;
        do
        {
            foreach (var lane in _lanes)
            {
                try
                {
                    await CheckAsync(lane);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The cluster may be unreachable for a while; the next check tries again.
                    CheckFailed(logger, ex, lane.Key);
                }
            }

            if (_lanes.All(l => l.Handle is not null)) _ready.TrySetResult();
            await _checkNow.WaitAsync(_options.LaneCheckPeriod, stoppingToken).ConfigureAwait(false);
        }
        while (!stoppingToken.IsCancellationRequested);
    }

    private void CheckSoon()
    {
        try
        {
            _checkNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already due.
        }
    }

    private async Task CheckAsync(Lane lane)
    {
        var stream = cluster.GetStreamProvider(RouterStreams.ProviderName).GetStream<LaneItem>(RouterStreams.ForLane(lane.Key));
        if (lane.Handle is { } handle)
        {
            var handles = await stream.GetAllSubscriptionHandles();
            if (handles.Any(h => h.HandleId == handle.HandleId)) return;
            lane.Handle = null;
            var ended = FailLane(lane.Key);
            LaneLostLog(logger, lane.Key, ended);
        }

        lane.Handle = await stream.SubscribeAsync(new LaneObserver(this, lane.Key));
    }

    private int FailLane(string laneKey)
    {
        var ended = 0;
        foreach (var inbox in _inboxes.Values)
        {
            if (inbox.LaneKey == laneKey && inbox.Fail(LaneLost)) ended++;
        }

        return ended;
    }

    /// <summary>Drops a lane's subscription behind the watchdog's back, as a lost client subscription looks to it.</summary>
    internal async Task DropSubscriptionAsync(int slot)
    {
        if (_lanes[slot].Handle is { } handle) await handle.UnsubscribeAsync();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var lane in _lanes)
        {
            try
            {
                if (lane.Handle is { } handle) await handle.UnsubscribeAsync();
            }
            catch (Exception ex)
            {
                CheckFailed(logger, ex, lane.Key);
            }
        }
    }

    private sealed class Lane(string key)
    {
        public string Key { get; } = key;

        public volatile StreamSubscriptionHandle<LaneItem>? Handle;
    }

    [LoggerMessage(2451, LogLevel.Warning, "Lane {LaneKey} lost its subscription and was subscribed again; {Requests} requests on it were ended")]
    private static partial void LaneLostLog(ILogger logger, string laneKey, int requests);

    [LoggerMessage(2452, LogLevel.Debug, "Checking lane {LaneKey} failed")]
    private static partial void CheckFailed(ILogger logger, Exception exception, string laneKey);
}
