using Microsoft.Extensions.AI;

namespace Router.Grains.Generation;

/// <summary>
/// Sends every request under the model name the upstream server knows, whatever name the router
/// routed by, so the runner deals only in the router's model names. Also marks its pipeline as an
/// upstream one (<see cref="IChatClient.GetService"/>), for whoever needs to tell the backends apart.
/// </summary>
public sealed class UpstreamModelChatClient(IChatClient innerClient, string name, string upstreamModel) : DelegatingChatClient(innerClient)
{
    /// <summary>The router's name for the model.</summary>
    public string Name { get; } = name;

    /// <summary>The upstream server's name for the model.</summary>
    public string UpstreamModel { get; } = upstreamModel;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithModel(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithModel(options), cancellationToken);

    private ChatOptions WithModel(ChatOptions? options)
    {
        // Cloned: the caller's options may be shared or reused.
        var mapped = options?.Clone() ?? new ChatOptions();
        mapped.ModelId = UpstreamModel;
        return mapped;
    }
}

/// <summary>Adds <see cref="UpstreamModelChatClient"/> to a chat client pipeline.</summary>
public static class UpstreamModelChatClientBuilderExtensions
{
    /// <summary>Requests go out as <paramref name="upstreamModel"/>; <paramref name="name"/> is the router's name for the model.</summary>
    public static ChatClientBuilder UseUpstreamModel(this ChatClientBuilder builder, string name, string upstreamModel)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(upstreamModel);
        return builder.Use(inner => new UpstreamModelChatClient(inner, name, upstreamModel));
    }
}
