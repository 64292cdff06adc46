namespace Router.Grains.Interfaces;

/// <summary>
/// One item on a web front's lane: an event of one request, with the request's id and the item's
/// place in that request's sequence (0, 1, 2, …; the terminal item is the last). The web front
/// demultiplexes by <see cref="RequestId"/> and treats a jump in <see cref="Sequence"/> as a loss.
/// </summary>
[GenerateSerializer, Immutable, Alias("router.lane-item.v1")]
public sealed record LaneItem(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] int Sequence,
    [property: Id(2)] CompletionEvent Event);
