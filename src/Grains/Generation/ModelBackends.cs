using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OllamaSharp;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>What serves a model.</summary>
public enum BackendKind
{
    /// <summary>The Ollama server at <c>Ollama:BaseUrl</c>.</summary>
    Ollama,

    /// <summary>An OpenAI-compatible server configured under <c>Upstreams</c>.</summary>
    OpenAICompatible,
}

/// <summary>A model the router can stream from.</summary>
public sealed record BackendModel(string Name, BackendKind Kind);

/// <summary>Which models have a streaming backend, and the <see cref="IChatClient"/> that serves them.</summary>
public sealed class ModelBackends : IDisposable
{
    private readonly HashSet<string> _ollamaModels;
    private readonly CancellableOllamaClient _ollama;
    private readonly HttpClient _upstreamHttp;
    private readonly Dictionary<string, UpstreamBackend> _upstreams = new(StringComparer.OrdinalIgnoreCase);

    public ModelBackends(IOptions<OllamaOptions> options, IOptions<UpstreamsOptions>? upstreams = null)
    {
        var o = options.Value;
        _ollamaModels = new HashSet<string>(o.EffectiveModels, StringComparer.OrdinalIgnoreCase);

        // Timeouts are ours (first token, idle); HttpClient's own would cut long generations.
        var http = new HttpClient(CreateHandler()) { BaseAddress = o.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        _ollama = new CancellableOllamaClient(http);

        _upstreamHttp = new HttpClient(CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var models = new List<BackendModel>(o.EffectiveModels.Select(m => new BackendModel(m, BackendKind.Ollama)));
        foreach (var upstream in upstreams?.Value.Models ?? [])
        {
            _upstreams[upstream.Name] = UpstreamChatClients.Create(upstream, _upstreamHttp);
            models.Add(new BackendModel(upstream.Name, BackendKind.OpenAICompatible));
        }

        Models = models;
    }

    /// <summary>Every model with a streaming backend, Ollama's first, in configuration order.</summary>
    public IReadOnlyList<BackendModel> Models { get; }

    /// <summary>The upstream models in configuration order, for the start-up probe.</summary>
    internal IEnumerable<UpstreamBackend> Upstreams => _upstreams.Values;

    /// <summary>The Ollama client shared by every Ollama model.</summary>
    public OllamaApiClient Ollama => _ollama;

    /// <summary>
    /// The chat client for a model: the Ollama client for Ollama models (also when named with a tag,
    /// <c>llama3.2:1b</c>), the upstream's client for upstream models (which sends the upstream's own
    /// model name), or null when the model has no streaming backend.
    /// </summary>
    public IChatClient? Find(string model) =>
        _upstreams.TryGetValue(model, out var upstream) ? upstream.Chat
        : _ollamaModels.Contains(model) || _ollamaModels.Contains(BaseName(model)) ? _ollama
        : null;

    private static SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(5),

        // An abandoned answer must close its connection at once: that is how the backend learns to stop.
        MaxResponseDrainSize = 0,
    };

    private static string BaseName(string model)
    {
        var colon = model.IndexOf(':');
        return colon < 0 ? model : model[..colon];
    }

    public void Dispose()
    {
        _ollama.Dispose();
        foreach (var upstream in _upstreams.Values) upstream.Chat.Dispose();
        _upstreamHttp.Dispose();
    }
}
