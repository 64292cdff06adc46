using Orleans.Runtime;

namespace Router.Grains.Interfaces;

/// <summary>
/// The one place that names the completion transport: provider, namespace and how a lane key
/// becomes a <see cref="StreamId"/>. Producers and subscribers both go through here.
/// </summary>
/// <remarks>
/// A lane is an Orleans stream that one web front subscribes to once, at start. Every generation
/// that web front asked for publishes onto one of its lanes, each item tagged with its request id
/// and sequence number, so no stream state is created or left behind per request.
/// </remarks>
public static class RouterStreams
{
    /// <summary>Name of the stream provider registered on silos and clients.</summary>
    public const string ProviderName = "router";

    /// <summary>Namespace of the web fronts' lanes.</summary>
    public const string LaneNamespace = "lane";

    /// <summary>Name of the grain storage that Orleans' stream pub-sub requires.</summary>
    public const string PubSubStorageName = "PubSubStore";

    /// <summary>The key of lane <paramref name="slot"/> of the web front <paramref name="frontId"/>.</summary>
    public static string LaneKey(string frontId, int slot) => $"{frontId}/{slot}";

    /// <summary>The stream of a lane, from its key.</summary>
    public static StreamId ForLane(string laneKey) => StreamId.Create(LaneNamespace, laneKey);
}
