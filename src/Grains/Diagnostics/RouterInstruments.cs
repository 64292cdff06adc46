using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Diagnostics.Metrics;

namespace Router.Grains.Diagnostics;

/// <summary>The silo-side metrics of the router: classification cache, generations and Ollama replicas.</summary>
public sealed class RouterInstruments
{
    /// <summary>Name of the meter shared by every part of the router.</summary>
    public const string MeterName = "Router";

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private long _classifierFailures;
    private readonly Counter<long> _generations;
    private readonly Counter<long> _chunks;
    private readonly Counter<long> _tokens;
    private readonly UpDownCounter<long> _activeGenerations;
    private readonly UpDownCounter<long> _backendInFlight;
    private readonly ConcurrentDictionary<object, (string Endpoint, Func<bool> Healthy)> _replicas = new();
    private readonly Counter<long> _backendFailovers;
    private readonly Counter<long> _backendProbes;
    private readonly Histogram<double> _classification;
    // A counter per tier, counted with Interlocked: AddOrUpdate took one of the dictionary's two locks on every classification.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _tiers = new(StringComparer.Ordinal);

    public RouterInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _cacheHits = meter.CreateCounter<long>("router.classifier.cache.hits", description: "Classifications answered from the cache.");
        _cacheMisses = meter.CreateCounter<long>("router.classifier.cache.misses", description: "Classifications that needed the classifier.");
        // Observed, so the series exists (at zero) before the first failure: a dashboard or alert sees "none yet", not nothing.
        meter.CreateObservableCounter("router.classifier.failures", () => Interlocked.Read(ref _classifierFailures), description: "Classifier calls that failed.");
        _generations = meter.CreateCounter<long>("router.generations", description: "Generations ended, by model and outcome.");
        _chunks = meter.CreateCounter<long>("router.generation.chunks", description: "Chunks published on completion streams, counted as each generation ends.");
        _tokens = meter.CreateCounter<long>("router.generation.output_tokens", description: "Output tokens reported by backends.");
        _activeGenerations = meter.CreateUpDownCounter<long>("router.generations.active", description: "Generations running on this silo.");
        _backendInFlight = meter.CreateUpDownCounter<long>("router.backend.in_flight", description: "Requests open on each Ollama replica.");
        // Observed rather than recorded on change: a replica that never changes must still be reported to every exporter.
        meter.CreateObservableGauge("router.backend.healthy", ObserveReplicas, description: "1 while an Ollama replica is in rotation, 0 while it is out and probed.");
        _backendFailovers = meter.CreateCounter<long>("router.backend.failovers", description: "Requests moved off a replica before their first token, by replica and reason.");
        _backendProbes = meter.CreateCounter<long>("router.backend.probes", description: "Probes of replicas out of rotation, by replica and result.");
        _classification = meter.CreateHistogram<double>("router.classification.duration", unit: "ms",
            description: "Classifying one message on a silo, cache included, by the classifier tier that decided it.");
    }

    public void ClassifierCacheHit() => _cacheHits.Add(1);

    public void ClassifierCacheMiss() => _cacheMisses.Add(1);

    public void ClassifierFailed() => Interlocked.Increment(ref _classifierFailures);

    /// <summary>One classification: <paramref name="tier"/> is the tier that decided ("fallback" when the classifier failed).</summary>
    public void Classified(string tier, bool cacheHit, double milliseconds)
    {
        _classification.Record(milliseconds, new KeyValuePair<string, object?>("router.tier", tier), new KeyValuePair<string, object?>("router.cache_hit", cacheHit));
        Interlocked.Increment(ref _tiers.GetOrAdd(tier, static _ => new StrongBox<long>()).Value);
    }

    /// <summary>Classifications on this silo since it started, by tier: the Cluster page's figures (a metric cannot be read back).</summary>
    public IReadOnlyDictionary<string, long> ClassifierTiers => _tiers.ToDictionary(t => t.Key, t => Interlocked.Read(ref t.Value.Value), StringComparer.Ordinal);

    public void GenerationStarted() => _activeGenerations.Add(1);

    /// <summary>
    /// A generation ended; <paramref name="chunks"/> is how many chunks it published, counted here once rather than one
    /// measurement per chunk (the counter's sum is the same; it grows when each answer ends).
    /// </summary>
    public void GenerationEnded(string model, string outcome, long outputTokens, long chunks)
    {
        _activeGenerations.Add(-1);
        var modelTag = new KeyValuePair<string, object?>("router.model", model);
        _generations.Add(1, modelTag, new KeyValuePair<string, object?>("router.outcome", outcome));
        if (outputTokens > 0) _tokens.Add(outputTokens, modelTag);
        if (chunks > 0) _chunks.Add(chunks, modelTag);
    }

    /// <summary>Tag value naming a replica: its host and port, never its URL (which may carry credentials).</summary>
    public const string EndpointTag = "router.backend.endpoint";

    public void BackendRequestStarted(string endpoint) => _backendInFlight.Add(1, Endpoint(endpoint));

    public void BackendRequestEnded(string endpoint) => _backendInFlight.Add(-1, Endpoint(endpoint));

    /// <summary>Reports <paramref name="replica"/>'s health from now on, until <see cref="UntrackBackend"/>.</summary>
    public void TrackBackend(object replica, string endpoint, Func<bool> healthy) => _replicas[replica] = (endpoint, healthy);

    public void UntrackBackend(object replica) => _replicas.TryRemove(replica, out _);

    public void BackendFailover(string endpoint, string reason) =>
        _backendFailovers.Add(1, Endpoint(endpoint), new KeyValuePair<string, object?>("router.backend.reason", reason));

    public void BackendProbed(string endpoint, bool answered) =>
        _backendProbes.Add(1, Endpoint(endpoint), new KeyValuePair<string, object?>("router.backend.result", answered ? "answered" : "failed"));

    private IEnumerable<Measurement<int>> ObserveReplicas() =>
        _replicas.Values.Select(r => new Measurement<int>(r.Healthy() ? 1 : 0, Endpoint(r.Endpoint)));

    private static KeyValuePair<string, object?> Endpoint(string endpoint) => new(EndpointTag, endpoint);
}
