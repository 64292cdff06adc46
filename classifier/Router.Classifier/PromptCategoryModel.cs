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
    private readonly PromptEmbedder? _embedder;
    private readonly double _escalateBelow;

    /// <summary>A single uncalibrated n-gram model (used by <c>compare</c> and older model files).</summary>
    public PromptCategoryModel(MLContext ml, ITransformer model, RoutingTable routing)
        : this(ml, new PromptModelBundle(model, null, new ModelManifest(0, "unknown", 0, string.Empty)), routing, embedder: null, escalateBelow: 0)
    {
    }

    /// <param name="embedder">Owned by this instance from now on; null runs the n-gram tier alone.</param>
    public PromptCategoryModel(MLContext ml, PromptModelBundle bundle, RoutingTable routing, PromptEmbedder? embedder, double escalateBelow)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(bundle);
        Routing = routing ?? throw new ArgumentNullException(nameof(routing));
        Bundle = bundle;
        _ngram = new Tier(ml, bundle.Ngram, bundle.Manifest.NgramTemperature);
        if (bundle.Hybrid is not null && embedder is not null)
        {
            _hybrid = new Tier(ml, bundle.Hybrid, bundle.Manifest.HybridTemperature);
            _embedder = embedder;
        }
        else
        {
            embedder?.Dispose();
        }

        _escalateBelow = escalateBelow;

        // The first run of each tier pays for JIT and ONNX Runtime's lazy set-up; paying it here keeps it off a caller's request.
        var warmUp = new PromptModelInput { Text = "warm up" };
        _ngram.Predict(warmUp);
        if (_hybrid is not null && _embedder is not null)
        {
            warmUp.Embedding = PromptModelBundle.Weighted(_embedder.Embed(warmUp.Text), bundle.Manifest.EmbeddingWeight);
            _hybrid.Predict(warmUp);
        }
    }

    /// <summary>The models and their calibration (for saving or evaluation).</summary>
    public PromptModelBundle Bundle { get; }

    /// <summary>The n-gram tier's ML.NET transformer.</summary>
    public ITransformer Model => Bundle.Ngram;

    /// <summary>True when the second tier can be asked.</summary>
    public bool HasEncoderTier => _hybrid is not null;

    public RoutingTable Routing { get; }

    public PromptClassification Classify(string message)
    {
        var input = new PromptModelInput { Text = PromptTextNormalizer.Normalize(message) };
        var (category, confidence, scores) = _ngram.Predict(input);
        var ngramConfidence = confidence;
        var tier = ClassifierTiers.Ngrams;
        if (_hybrid is not null && _embedder is not null && confidence < _escalateBelow)
        {
            input.Embedding = PromptModelBundle.Weighted(_embedder.Embed(input.Text), Bundle.Manifest.EmbeddingWeight);
            (category, confidence, scores) = _hybrid.Predict(input);
            tier = ClassifierTiers.NgramsAndEmbedding;
        }

        return new PromptClassification(Routing.Choose(category, confidence), category, Math.Round(confidence, 6), scores)
        {
            Tier = tier,
            NgramConfidence = Math.Round(ngramConfidence, 6),
        };
    }

    public void Dispose() => _embedder?.Dispose();

    /// <summary>One ML.NET model, its engine pool, its score slots and its temperature.</summary>
    private sealed class Tier(MLContext ml, ITransformer model, double temperature)
    {
        private readonly PredictionEnginePool _engines = new(ml, model, maxRetained: Environment.ProcessorCount * 4);
        private readonly string[] _slots = PromptModelTrainer.ScoreSlots(ml, model);

        public (string Category, double Confidence, Dictionary<string, double> Scores) Predict(PromptModelInput input)
        {
            var engine = _engines.Rent();
            float[] raw;
            try
            {
                raw = engine.Predict(input).Score;
            }
            finally
            {
                _engines.Return(engine);
            }

            Span<double> calibrated = stackalloc double[raw.Length];
            TemperatureScaling.Apply(raw, temperature, calibrated);
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
