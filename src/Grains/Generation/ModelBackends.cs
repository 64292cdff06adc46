using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OllamaSharp;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>Which models have a streaming backend, and the <see cref="IChatClient"/> that serves them.</summary>
public sealed class ModelBackends : IDisposable
{
    private readonly HashSet<string> _ollamaModels;
    private readonly CancellableOllamaClient _ollama;

    public ModelBackends(IOptions<OllamaOptions> options)
    {
        var o = options.Value;
        _ollamaModels = new HashSet<string>(o.EffectiveModels, StringComparer.OrdinalIgnoreCase);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // An abandoned answer must close its connection at once: that is how Ollama learns to stop.
            MaxResponseDrainSize = 0,
        };

        // Timeouts are ours (first token, idle); HttpClient's own would cut long generations.
        var http = new HttpClient(handler) { BaseAddress = o.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        _ollama = new CancellableOllamaClient(http);
    }

    /// <summary>The Ollama client shared by every Ollama model.</summary>
    public OllamaApiClient Ollama => _ollama;

    /// <summary>The chat client for a model, or null when the model has no streaming backend.</summary>
    public IChatClient? Find(string model) => _ollamaModels.Contains(model) || _ollamaModels.Contains(BaseName(model)) ? _ollama : null;

    private static string BaseName(string model)
    {
        var colon = model.IndexOf(':');
        return colon < 0 ? model : model[..colon];
    }

    public void Dispose() => _ollama.Dispose();
}
