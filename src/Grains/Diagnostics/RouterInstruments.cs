using System.Diagnostics.Metrics;

namespace Router.Grains.Diagnostics;

/// <summary>The silo-side metrics of the router: classification cache and generations.</summary>
public sealed class RouterInstruments
{
    /// <summary>Name of the meter shared by every part of the router.</summary>
    public const string MeterName = "Router";

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _classifierFailures;
    private readonly Counter<long> _generations;
    private readonly Counter<long> _chunks;
    private readonly Counter<long> _tokens;
    private readonly UpDownCounter<long> _activeGenerations;

    public RouterInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _cacheHits = meter.CreateCounter<long>("router.classifier.cache.hits", description: "Classifications answered from the cache.");
        _cacheMisses = meter.CreateCounter<long>("router.classifier.cache.misses", description: "Classifications that needed the classifier.");
        _classifierFailures = meter.CreateCounter<long>("router.classifier.failures", description: "Classifier calls that failed.");
        _generations = meter.CreateCounter<long>("router.generations", description: "Generations ended, by model and outcome.");
        _chunks = meter.CreateCounter<long>("router.generation.chunks", description: "Chunks published on completion streams.");
        _tokens = meter.CreateCounter<long>("router.generation.output_tokens", description: "Output tokens reported by backends.");
        _activeGenerations = meter.CreateUpDownCounter<long>("router.generations.active", description: "Generations running on this silo.");
    }

    public void ClassifierCacheHit() => _cacheHits.Add(1);

    public void ClassifierCacheMiss() => _cacheMisses.Add(1);

    public void ClassifierFailed() => _classifierFailures.Add(1);

    public void GenerationStarted() => _activeGenerations.Add(1);

    public void ChunkPublished(string model) => _chunks.Add(1, new KeyValuePair<string, object?>("router.model", model));

    public void GenerationEnded(string model, string outcome, long outputTokens)
    {
        _activeGenerations.Add(-1);
        var modelTag = new KeyValuePair<string, object?>("router.model", model);
        _generations.Add(1, modelTag, new KeyValuePair<string, object?>("router.outcome", outcome));
        if (outputTokens > 0) _tokens.Add(outputTokens, modelTag);
    }
}
