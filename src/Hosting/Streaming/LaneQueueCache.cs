using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>
/// The cache of one lane queue: Orleans' <see cref="SimpleQueueCache"/>, except that a cursor asked for
/// at an item the cache no longer holds starts at the oldest item it holds for that stream, instead of
/// a cache miss or a cursor that misses later. The items skipped that way are a gap that the lane
/// items' own sequence numbers show (the web front ends an answer with a gap as interrupted); without
/// this, the whole queue could stop delivering.
/// </summary>
/// <remarks>
/// How the pulling agent runs into it: a subscriber that joins while its stream's items flow (a lane
/// renewed after it was lost) is shaken hands with first, a call to the consumer; the agent notes the
/// first item it reads for that stream meanwhile as where the subscriber is to start, but no cursor
/// holds that item, so a read's purge may drop it before the handshake ends. Then the agent asks for
/// a cursor at the dropped item. Orleans' cache reports a miss when it still holds newer items (the
/// agent then starts the subscriber at the newest one); when it is empty it hands out a cursor that
/// waits at the dropped item's token, and the refresh of that cursor on each later read that brings
/// the stream's items throws <see cref="QueueCacheMissException"/> (the token is older than every item
/// held): that queue's reads fail for good and the stream is never delivered again.
/// The tokens the agent asks for are always of items it read, so a token the cache does not hold is of
/// an item it dropped.
/// </remarks>
internal sealed partial class LaneQueueCache(SimpleQueueCache simple, QueueId queueId, ILogger<LaneQueueCache> logger) : IQueueCache
{
    private readonly SimpleQueueCache _simple = simple;

    // SimpleQueueCache implements the cursor methods explicitly: they are called through the interface.
    private readonly IQueueCache _inner = simple;

    public int GetMaxAddCount() => _inner.GetMaxAddCount();

    public void AddToCache(IList<IBatchContainer> messages) => _inner.AddToCache(messages);

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems) => _inner.TryPurgeFromCache(out purgedItems);

    public bool IsUnderPressure() => _inner.IsUnderPressure();

    public void UpdateDeliveryProgress(StreamSequenceToken? earliestSubscriptionToken, DateTime utcNow) =>
        _inner.UpdateDeliveryProgress(earliestSubscriptionToken, utcNow);

    [Obsolete("Use IQueueCache.TryGetCacheCursor instead.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => Cursor(TryGetCacheCursor(streamId, token));

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        if (token is null) return _inner.TryGetCacheCursor(streamId, null);
        if (_simple.Size == 0)
        {
            // Orleans' cache would hand out a cursor waiting at this token, which misses on its first refresh.
            StartedAtOldestHeld(logger, queueId, streamId, token, "nothing");
            return _inner.TryGetCacheCursorAtPosition(streamId, StreamSubscriptionStartPosition.EarliestAvailable);
        }

        var result = _inner.TryGetCacheCursor(streamId, token);
        if (result.Kind != QueueCacheCursorResultKind.CacheMiss) return result;
        StartedAtOldestHeld(logger, queueId, streamId, token, result.CacheMiss?.Low);
        return _inner.TryGetCacheCursorAtPosition(streamId, StreamSubscriptionStartPosition.EarliestAvailable);
    }

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursorAtPosition(StreamId streamId, StreamSubscriptionStartPosition startPosition) =>
        _inner.TryGetCacheCursorAtPosition(streamId, startPosition);

    private static IQueueCacheCursor Cursor(QueueCacheCursorResult<IQueueCacheCursor> result) =>
        result.Cursor ?? throw new InvalidOperationException($"The lane queue cache gave no cursor ({result.Kind}).");

    [LoggerMessage(3101, LogLevel.Warning,
        "Lane queue {QueueId}: a cursor for {StreamId} was asked for at {Requested}, which the cache no longer holds (oldest held: {Oldest}); it starts at the stream's oldest held item")]
    private static partial void StartedAtOldestHeld(ILogger logger, QueueId queueId, StreamId streamId, StreamSequenceToken requested, string? oldest);
}
