using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OllamaSharp;
using Router.Grains.Diagnostics;
using Router.Grains.Generation.Ollama;
using Router.Grains.Generation.Pipeline;
using Router.Grains.Options;

namespace Router.Grains.Generation;

/// <summary>What serves a model.</summary>
public enum BackendKind
{
    /// <summary>The Ollama server at <c>Ollama:BaseUrl</c>, or the replicas of <c>Ollama:Endpoints</c>.</summary>
    Ollama,

    /// <summary>An OpenAI-compatible server configured under <c>Upstreams</c>.</summary>
    OpenAICompatible,
}

/// <summary>A model the router can stream from.</summary>
public sealed record BackendModel(string Name, BackendKind Kind);

/// <summary>
/// Which models have a streaming backend, and the <see cref="IChatClient"/> that serves them: one
/// pipeline per backend (an Ollama server, a set of replicas, an upstream model), built once with
/// the router's decorators (<see cref="BackendPipeline"/>) over OllamaSharp's or the OpenAI client.
/// </summary>
public sealed class ModelBackends : IDisposable
{
    private readonly Dictionary<string, IChatClient> _ollamaModels = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IChatClient> _ollamaPipelines = [];
    private readonly Dictionary<string, OllamaAnswerStream> _ollamaStreams = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Uri, OllamaReplica> _replicas = [];
    private readonly Dictionary<string, string> _ollamaBackends = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, OllamaApiClient> _ollamaShow = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _upstreamHttp;
    private readonly Dictionary<string, UpstreamBackend> _upstreams = new(StringComparer.OrdinalIgnoreCase);

    public ModelBackends(
        IOptions<OllamaOptions> options,
        IOptions<UpstreamsOptions>? upstreams = null,
        RouterInstruments? instruments = null,
        ILoggerFactory? loggerFactory = null)
    {
        var o = options.Value;
        loggerFactory ??= NullLoggerFactory.Instance;
        var replicaLogger = loggerFactory.CreateLogger<OllamaReplica>();
        var failoverLogger = loggerFactory.CreateLogger<ReplicaFailoverChatClient>();

        // A server listed for several models is one replica: one connection pool, one in-flight count, one health.
        OllamaReplica ReplicaAt(Uri url)
        {
            if (!_replicas.TryGetValue(url, out var replica))
            {
                // Timeouts are ours (first token, idle); HttpClient's own would cut long generations.
                var http = new HttpClient(CreateHandler()) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
                _replicas[url] = replica = new OllamaReplica(url, http, o, instruments, replicaLogger, _stopping.Token);
            }

            return replica;
        }

        // Models served by the same servers share one pipeline.
        IChatClient PipelineFor(string where, List<OllamaReplica> replicas)
        {
            if (_ollamaPipelines.TryGetValue(where, out var pipeline)) return pipeline;

            // One server keeps the plain client: no failover to do, and nothing changes for the default setup.
            IChatClient client = replicas.Count == 1 ? replicas[0].Chat : new ReplicaFailoverChatClient(new ReplicaPool(replicas), o, instruments, failoverLogger);

            // Replicas get a first-token limit each; the pipeline's then covers all of their tries.
            var firstToken = client is ReplicaFailoverChatClient failover ? failover.FirstTokenDeadline : o.FirstTokenTimeout;
            if (replicas.Count > 1) foreach (var replica in replicas) replica.ReportHealth();
            return _ollamaPipelines[where] = client.AsBackend(BackendErrors.Describe, o, firstToken).Build();
        }

        Ollama = ReplicaAt(o.EffectiveEndpoints[0]).Api;
        foreach (var model in o.EffectiveModels)
        {
            var replicas = o.EndpointsFor(model).Select(ReplicaAt).Distinct().ToList();
            var where = replicas.Count == 1
                ? replicas[0].BaseUrl.ToString()
                : $"replicas {string.Join(", ", replicas.Select(r => r.Endpoint))}";
            _ollamaBackends[model] = where;
            _ollamaShow[model] = replicas[0].Api;
            _ollamaModels[model] = PipelineFor(where, replicas);
            if (replicas.Count == 1) _ollamaStreams[model] = new OllamaAnswerStream(replicas[0].Api, replicas[0].BaseUrl, o.FirstTokenTimeout, o.IdleTimeout);
        }

        _upstreamHttp = new HttpClient(CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var models = new List<BackendModel>(o.EffectiveModels.Select(m => new BackendModel(m, BackendKind.Ollama)));
        foreach (var upstream in upstreams?.Value.Models ?? [])
        {
            _upstreams[upstream.Name] = UpstreamChatClients.Create(upstream, _upstreamHttp, o);
            models.Add(new BackendModel(upstream.Name, BackendKind.OpenAICompatible));
        }

        Models = models;
    }

    /// <summary>Every model with a streaming backend, Ollama's first, in configuration order.</summary>
    public IReadOnlyList<BackendModel> Models { get; }

    /// <summary>The upstream models in configuration order, for the start-up probe.</summary>
    internal IEnumerable<UpstreamBackend> Upstreams => _upstreams.Values;

    /// <summary>Every Ollama server configured, for the start-up probe.</summary>
    internal IEnumerable<OllamaReplica> OllamaReplicas => _replicas.Values;

    /// <summary>The client of the first Ollama server (<c>Ollama:BaseUrl</c>, or the first of <c>Ollama:Endpoints</c>).</summary>
    public OllamaApiClient Ollama { get; }

    /// <summary>
    /// The chat client pipeline for a model: over the Ollama client for Ollama models (also when named
    /// with a tag, <c>llama3.2:1b</c>; over a failover client when the model has several replicas),
    /// over the upstream's client for upstream models (which sends the upstream's own model name), or
    /// null when the model has no streaming backend. Its failures leave as <see cref="BackendFailureException"/>.
    /// </summary>
    public IChatClient? Find(string model) => Find(model, out _);

    /// <summary>As <see cref="Find(string)"/>, also telling which kind of backend serves the model.</summary>
    public IChatClient? Find(string model, out BackendKind kind)
    {
        if (_upstreams.TryGetValue(model, out var upstream))
        {
            kind = BackendKind.OpenAICompatible;
            return upstream.Chat;
        }

        kind = BackendKind.Ollama;
        return _ollamaModels.TryGetValue(model, out var ollama) || _ollamaModels.TryGetValue(BaseName(model), out ollama) ? ollama : null;
    }

    /// <summary>
    /// The direct reading of a model served by one Ollama server (<see cref="OllamaAnswerStream"/>):
    /// what its pipeline does, in one step; null for other models, which stream through <see cref="Find(string)"/>.
    /// </summary>
    internal OllamaAnswerStream? DirectStream(string model) =>
        _upstreams.ContainsKey(model) ? null
        : _ollamaStreams.TryGetValue(model, out var stream) || _ollamaStreams.TryGetValue(BaseName(model), out stream) ? stream
        : null;

    /// <summary>The client that asks about an Ollama model (<c>/api/show</c>): its first server; null for other models.</summary>
    internal OllamaApiClient? OllamaClientFor(string model) =>
        _upstreams.ContainsKey(model) ? null
        : _ollamaShow.TryGetValue(model, out var api) || _ollamaShow.TryGetValue(BaseName(model), out api) ? api
        : null;

    /// <summary>The embedding generator of an upstream model (it sends the upstream's own model name); null for other models.</summary>
    internal IEmbeddingGenerator<string, Embedding<float>>? UpstreamEmbeddingsFor(string model) =>
        _upstreams.TryGetValue(model, out var upstream) ? upstream.Embeddings : null;

    /// <summary>Where an Ollama model is served, for operators' log lines (never for clients).</summary>
    internal string DescribeOllama(string model) =>
        _ollamaBackends.TryGetValue(model, out var where) || _ollamaBackends.TryGetValue(BaseName(model), out where) ? where : Ollama.Uri.ToString();

    /// <summary>A backend's HTTP stack: a cancelled call closes its connection (<see cref="ConnectionAbortHandler"/>).</summary>
    private static ConnectionAbortHandler CreateHandler() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(5),

        // An abandoned answer must close its connection at once: that is how the backend learns to stop.
        MaxResponseDrainSize = 0,
    });

    private static string BaseName(string model)
    {
        var colon = model.IndexOf(':');
        return colon < 0 ? model : model[..colon];
    }

    public void Dispose()
    {
        _stopping.Cancel();

        // The pipelines first: their decorators own telemetry sources; the replicas own the clients below.
        foreach (var pipeline in _ollamaPipelines.Values) pipeline.Dispose();
        foreach (var replica in _replicas.Values) replica.Dispose();
        foreach (var upstream in _upstreams.Values)
        {
            upstream.Chat.Dispose();
            upstream.Embeddings.Dispose();
        }

        _upstreamHttp.Dispose();
        _stopping.Dispose();
    }
}
