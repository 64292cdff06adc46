using Orleans.Runtime;

namespace Router.Grains.Interfaces;

/// <summary>
/// The one place that names the completion stream: provider, namespace and how a request id
/// becomes a <see cref="StreamId"/>. Producers and subscribers both go through here.
/// </summary>
public static class RouterStreams
{
    /// <summary>Name of the stream provider registered on silos and clients.</summary>
    public const string ProviderName = "router";

    /// <summary>Namespace of the per-request completion streams.</summary>
    public const string CompletionNamespace = "completion";

    /// <summary>Name of the grain storage that Orleans' stream pub-sub requires.</summary>
    public const string PubSubStorageName = "PubSubStore";

    /// <summary>The stream that carries the events of one completion request.</summary>
    public static StreamId ForRequest(Guid requestId) => StreamId.Create(CompletionNamespace, requestId);
}
