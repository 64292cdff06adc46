using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Router.Hosting.Streaming;

/// <summary>
/// What one publish put on a lane queue. It crosses the wire only when the pulling agent delivers it
/// to a consumer in another process (a web front that is a client of the cluster).
/// </summary>
[GenerateSerializer, Alias("router.lane-batch.v1")]
public sealed class LaneBatchContainer(StreamId streamId, List<object> events, EventSequenceToken sequenceToken) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    [Id(1)] public List<object> Events { get; } = events;

    [Id(2)] public EventSequenceToken Token { get; } = sequenceToken;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create(e, (StreamSequenceToken)Token.CreateSequenceTokenForEvent(i)));

    public bool ImportRequestContext() => false;
}
