using Microsoft.ML;
using Router.Classifier.Embedding;
using Router.Classifier.Training;

namespace Router.Classifier;

/// <summary>
/// The trained classifier behind <see cref="IPromptCategoryModel"/>, with its routing table applied. The
/// n-gram tier answers first; when its calibrated confidence is below the escalation bound and a second tier
/// and encoder are present, the prompt is embedded and the second tier decides.
/// </summary>
public sealed class PromptCategoryModel : IPromptCategoryModel, IDisposable
{
    private readonly Tier _ngram;
    private readonly Tier? _hybrid;
    private readonly double _escalateBelow;
    private IPromptEmbedder? _embedder;
    private int _disposed;

    /// <summary>A single uncalibrated n-gram model (used by <c>compare</c> and older model files).</summary>
    public PromptCategoryModel(MLContext ml, ITransformer model, RoutingTable routing)
        : this(ml, new PromptModelBundle(model, null, new ModelManifest(0, "unknown", 0, string.Empty)), routing, embedder: null, escalateBelow: 0)
    {
    }

    /// <param name="embedder">Owned by this instance from now on; null runs the n-gram tier alone.</param>
    public PromptCategoryModel(MLContext ml, PromptModelBundle bundle, RoutingTable routing, IPromptEmbedder? embedder, double escalateBelow)
        : this(ml, bundle, routing, Task.FromResult(embedder), escalateBelow)
    {
    }

    /// <param name="loadingEmbedder">
    /// The encoder, still loading or loaded; owned by this instance. Until it has loaded the n-gram tier decides
    /// every prompt, so the model serves as soon as the ML.NET models are in memory.
    /// </param>
    public PromptCategoryModel(MLContext ml, PromptModelBundle bundle, RoutingTable routing, Task<IPromptEmbedder?> loadingEmbedder, double escalateBelow)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(loadingEmbedder);
        Routing = routing ?? throw new ArgumentNullException(nameof(routing));
        Bundle = bundle;
        _ngram = new Tier(ml, bundle.Ngram, bundle.Manifest.NgramTemperature, PromptFeatureSet.Ngrams);
        _hybrid = bundle.Hybrid is null ? null : new Tier(ml, bundle.Hybrid, bundle.Manifest.HybridTemperature, PromptFeatureSet.NgramsAndEmbedding, sameVocabulary: _ngram);
        _escalateBelow = escalateBelow;
        FollowUps = bundle.FollowUp is null ? null
            : new Conversations.FollowUpDetector(ml, bundle.FollowUp, bundle.FollowUpWithEmbedding, () => Volatile.Read(ref _embedder), bundle.Manifest.EmbeddingWeight);

        // The first run of each tier pays for JIT and ONNX Runtime's lazy set-up; paying it here keeps it off a caller's request.
        _ngram.Predict(new PromptModelInput { Text = "warm up" });
        EncoderReady = loadingEmbedder.ContinueWith(Attach, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The models and their calibration (for saving or evaluation).</summary>
    public PromptModelBundle Bundle { get; }

    /// <summary>The n-gram tier's ML.NET transformer.</summary>
    public ITransformer Model => Bundle.Ngram;

    /// <summary>True once the second tier can be asked.</summary>
    public bool HasEncoderTier => Volatile.Read(ref _embedder) is not null;

    /// <summary>Completes when the encoder has loaded and warmed up, or has been given up (none configured, or it failed to load).</summary>
    public Task EncoderReady { get; }

    public RoutingTable Routing { get; }

    /// <summary>Tells follow-ups from self-contained messages, for <see cref="Conversations.ConversationRouting"/>; null when the model has none.</summary>
    public Conversations.FollowUpDetector? FollowUps { get; }

    public PromptClassification Classify(string message)
    {
        var input = new PromptModelInput { Text = PromptTextNormalizer.Normalize(message) };
        var (category, confidence, scores) = _ngram.Predict(input);
        var ngramConfidence = confidence;
        var tier = ClassifierTiers.Ngrams;
        var embedder = Volatile.Read(ref _embedder);
        if (_hybrid is not null && embedder is not null && confidence < _escalateBelow)
        {
            input.Embedding = PromptModelBundle.Weighted(embedder.Embed(input.Text), Bundle.Manifest.EmbeddingWeight);
            (category, confidence, scores) = _hybrid.Predict(input);
            tier = ClassifierTiers.NgramsAndEmbedding;
        }

        return new PromptClassification(Routing.Choose(category, confidence), category, Math.Round(confidence, 6), scores)
        {
            Tier = tier,
            NgramConfidence = Math.Round(ngramConfidence, 6),
        };
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        Interlocked.Exchange(ref _embedder, null)?.Dispose();
    }

    private void Attach(Task<IPromptEmbedder?> loading)
    {
        if (loading.Exception is not null || loading.Result is not { } embedder)
        {
            return;
        }

        if (_hybrid is null || Volatile.Read(ref _disposed) != 0)
        {
            embedder.Dispose();
            return;
        }

        var warmUp = new PromptModelInput { Text = "warm up" };
        warmUp.Embedding = PromptModelBundle.Weighted(embedder.Embed(warmUp.Text), Bundle.Manifest.EmbeddingWeight);
        _hybrid.Predict(warmUp);
        // Shared by the second tier and the follow-up detector, which then embed a message once between them (RecentEmbedding).
        Volatile.Write(ref _embedder, new RecentEmbedding(embedder));
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Exchange(ref _embedder, null)?.Dispose();
        }
    }

    /// <summary>True when both tiers score through <see cref="LinearNgramScorer"/> rather than ML.NET's prediction engine.</summary>
    internal bool UsesLinearScorer => _ngram.UsesLinearScorer && (_hybrid?.UsesLinearScorer ?? true);

    /// <summary>True when the second tier reads the n-gram tier's dictionaries, and so reuses its hits for a prompt that escalates.</summary>
    internal bool TiersShareVocabulary => _ngram.Scorer is { } first && _hybrid?.Scorer is { } second && second.SharesVocabularyWith(first);

    /// <summary>
    /// One trained model, its temperature and its score slots. Scored by <see cref="LinearNgramScorer"/> when the model
    /// has the shape it reads and matched ML.NET's scores at load; by a pool of ML.NET prediction engines otherwise.
    /// </summary>
    private sealed class Tier
    {
        private readonly PredictionEnginePool? _engines;
        private readonly LinearNgramScorer? _scorer;
        private readonly string[] _slots;
        private readonly double _temperature;
        private readonly bool _readsEmbedding;

        /// <param name="sameVocabulary">The n-gram tier, whose dictionaries (and each thread's last hits) the second tier shares when they are the same.</param>
        public Tier(MLContext ml, ITransformer model, double temperature, PromptFeatureSet features, Tier? sameVocabulary = null)
        {
            _slots = PromptModelTrainer.ScoreSlots(ml, model);
            _temperature = temperature;
            _readsEmbedding = features == PromptFeatureSet.NgramsAndEmbedding;
            _scorer = LinearNgramScorer.TryCreateVerified(ml, model, features, sameVocabulary?._scorer);
            _engines = _scorer is null ? new PredictionEnginePool(ml, model, maxRetained: Environment.ProcessorCount * 4) : null;
        }

        public bool UsesLinearScorer => _scorer is not null;

        public LinearNgramScorer? Scorer => _scorer;

        public (string Category, double Confidence, Dictionary<string, double> Scores) Predict(PromptModelInput input)
        {
            Span<float> raw = stackalloc float[_slots.Length];
            if (_scorer is not null)
            {
                _scorer.Score(input.Text, _readsEmbedding ? input.Embedding : default, raw);
            }
            else
            {
                var engine = _engines!.Rent();
                try
                {
                    engine.Predict(input).Score.AsSpan(0, _slots.Length).CopyTo(raw);
                }
                finally
                {
                    _engines.Return(engine);
                }
            }

            Span<double> calibrated = stackalloc double[raw.Length];
            TemperatureScaling.Apply(raw, _temperature, calibrated);
            var scores = new Dictionary<string, double>(_slots.Length, StringComparer.Ordinal);
            var best = 0;
            for (var i = 0; i < _slots.Length; i++)
            {
                scores[_slots[i]] = Math.Round(calibrated[i], 6);
                if (calibrated[i] > calibrated[best])
                {
                    best = i;
                }
            }

            return (_slots[best], calibrated[best], scores);
        }
    }
}
