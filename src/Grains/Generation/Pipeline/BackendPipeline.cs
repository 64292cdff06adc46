using Microsoft.Extensions.AI;
using Router.Grains.Diagnostics;
using Router.Grains.Options;

namespace Router.Grains.Generation.Pipeline;

/// <summary>
/// The decorators every backend gets, in one place, so the Ollama and upstream pipelines differ only
/// in their client and their error texts. Outermost first: failures described in the router's codes,
/// a GenAI span per call, the first-token and idle limits (one step); the backend's own decorators and
/// client come below. A single Ollama server's streamed answers take none of these steps but read
/// directly (<see cref="Ollama.OllamaAnswerStream"/>), with the same limits, codes and span.
/// </summary>
internal static class BackendPipeline
{
    /// <param name="firstToken">The first-token limit of the whole call; with replicas it covers all their tries.</param>
    /// <remarks>
    /// The GenAI decorator gets no logger: it would log every failure and every cancelled call (each
    /// client that goes away) as a warning with its stack; the runner logs a failed generation once.
    /// </remarks>
    public static ChatClientBuilder AsBackend(this IChatClient client, BackendErrorDescriber describe, OllamaOptions limits, TimeSpan firstToken) =>
        client.AsBuilder()
            .UseBackendErrors(describe)
            .UseOpenTelemetry(loggerFactory: null, RouterActivitySources.Backend)
            .UseSilenceLimits(firstToken, limits.IdleTimeout);
}
