using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>An upstream model: its settings, the OpenAI client of its server, the chat client that serves it, and its embedding generator.</summary>
internal sealed record UpstreamBackend(UpstreamOptions Options, OpenAIClient Client, IChatClient Chat, IEmbeddingGenerator<string, Embedding<float>> Embeddings);

/// <summary>Builds the clients of an OpenAI-compatible upstream model.</summary>
internal static class UpstreamChatClients
{
    /// <param name="http">Shared by every upstream; its handler chain holds the <see cref="ConnectionAbortHandler"/>.</param>
    /// <param name="limits">The first-token and idle limits, the same as Ollama's.</param>
    public static UpstreamBackend Create(UpstreamOptions upstream, HttpClient http, OllamaOptions limits)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = upstream.BaseUrl,
            Transport = new HttpClientPipelineTransport(http),

            // A retry would repeat a generation the client may already be reading; the caller decides.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),

            // Applies to every read of a streamed answer too; first-token and idle limits are the router's own.
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };

        // The client insists on a credential; without a key the placeholder's header is removed before sending.
        var key = upstream.ResolveApiKey();
        if (key is null)
        {
            options.AddPolicy(new NoAuthorizationPolicy(), PipelinePosition.BeforeTransport);
        }

        var client = new OpenAIClient(new ApiKeyCredential(key ?? "none"), options);
        var chat = client
            .GetChatClient(upstream.EffectiveModel)
            .AsIChatClient()
            .AsBackend(BackendErrors.DescribeUpstream, limits, limits.FirstTokenTimeout)
            .UseUpstreamModel(upstream.Name, upstream.EffectiveModel)
            .UseConnectionAbort()
            .Build();
        var embeddings = client.GetEmbeddingClient(upstream.EffectiveModel).AsIEmbeddingGenerator();
        return new UpstreamBackend(upstream, client, chat, embeddings);
    }

    /// <summary>Local servers (vLLM, llama.cpp) often take no key; sending a made-up one would be misleading.</summary>
    private sealed class NoAuthorizationPolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
