using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Router.Grains.Diagnostics;
using Router.Grains.Options;

namespace Router.Grains.Generation.Pipeline;

/// <summary>
/// The decorators every backend gets, in one place, so the Ollama and upstream pipelines differ only
/// in their client and their error texts. Outermost first: failures described in the router's codes,
/// a GenAI span per call, the first-token and idle limits; the backend's own decorators and client
/// come below.
/// </summary>
internal static class BackendPipeline
{
    /// <param name="firstToken">The first-token limit of the whole call; with replicas it covers all their tries.</param>
    public static ChatClientBuilder AsBackend(
        this IChatClient client, BackendErrorDescriber describe, OllamaOptions limits, TimeSpan firstToken, ILoggerFactory? loggerFactory) =>
        client.AsBuilder()
            .UseBackendErrors(describe)
            .UseOpenTelemetry(loggerFactory, RouterActivitySources.Backend)
            .UseFirstTokenTimeout(firstToken)
            .UseIdleTimeout(limits.IdleTimeout);
}
