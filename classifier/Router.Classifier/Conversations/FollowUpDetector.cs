using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Embedding;
using Router.Classifier.Training;

namespace Router.Classifier.Conversations;

/// <summary>
/// Tells a follow-up that leans on its conversation ("and in Rust?", "why?", "make it shorter", "noch ein
/// Beispiel") from a message that stands on its own. The category model is trained on self-contained prompts
/// and is often confidently wrong about such fragments ("how did you get that?" reads as small talk), so the
/// conversation rule asks this model too. Two labels, trained on <c>classifier/data/followups.txt</c> against the
/// training prompts, in two tiers like the category model: one reads the n-grams alone, the other the n-grams and the
/// static sentence embedding, which carries "a question about the answer" across wordings and languages that the
/// fragments do not cover. The second answers whenever the embedder is loaded; the first until then, or when the
/// encoder is disabled. Thread-safe (a pool of prediction engines when the linear scorer does not apply).
/// </summary>
public sealed class FollowUpDetector
{
    /// <summary>Label of a follow-up.</summary>
    public const string FollowUpLabel = "follow-up";

    /// <summary>Label of a self-contained message.</summary>
    public const string StandaloneLabel = "standalone";

    private readonly Detector _ngrams;
    private readonly Detector? _withEmbedding;
    private readonly Func<IPromptEmbedder?> _embedder;
    private readonly double _embeddingWeight;

    /// <summary>A detector reading the n-grams alone (a model saved before the detector read embeddings).</summary>
    public FollowUpDetector(MLContext ml, ITransformer model)
        : this(ml, model, withEmbedding: null, () => null, PromptModelBundle.DefaultEmbeddingWeight)
    {
    }

    /// <param name="withEmbedding">The tier reading n-grams and the embedding; null: the n-grams alone.</param>
    /// <param name="embedder">The embedder once it is loaded, null before (read on every call).</param>
    /// <param name="embeddingWeight">The weight the embedding had in training (the model manifest's).</param>
    public FollowUpDetector(MLContext ml, ITransformer model, ITransformer? withEmbedding, Func<IPromptEmbedder?> embedder, double embeddingWeight)
    {
        ArgumentNullException.ThrowIfNull(ml);
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _embedder = embedder ?? throw new ArgumentNullException(nameof(embedder));
        _embeddingWeight = embeddingWeight;
        _ngrams = new Detector(ml, model, PromptFeatureSet.Ngrams);
        _withEmbedding = withEmbedding is null ? null : new Detector(ml, withEmbedding, PromptFeatureSet.NgramsAndEmbedding);
    }

    /// <summary>The n-gram tier's ML.NET transformer.</summary>
    public ITransformer Model { get; }

    /// <summary>True when the tier reading the embedding answers (it is present and the embedder has loaded).</summary>
    public bool ReadsEmbedding => _withEmbedding is not null && _embedder() is not null;

    /// <summary>Trains the n-gram tier on follow-up fragments and self-contained prompts.</summary>
    public static ITransformer Train(MLContext ml, IEnumerable<string> followUps, IEnumerable<string> standalone)
    {
        ArgumentNullException.ThrowIfNull(followUps);
        ArgumentNullException.ThrowIfNull(standalone);
        return PromptModelTrainer.Train(ml, Rows(followUps, standalone), PromptModelTrainer.DefaultTrainer, PromptFeatureSet.Ngrams);
    }

    /// <summary>Trains the tier that reads the n-grams and the embedding (weighted as the category model's second tier).</summary>
    public static ITransformer TrainWithEmbedding(MLContext ml, IEnumerable<string> followUps, IEnumerable<string> standalone,
        IPromptEmbedder embedder, double embeddingWeight)
    {
        ArgumentNullException.ThrowIfNull(followUps);
        ArgumentNullException.ThrowIfNull(standalone);
        ArgumentNullException.ThrowIfNull(embedder);
        var rows = Rows(followUps, standalone);
        var vectors = embedder.EmbedMany([.. rows.Select(r => r.Text)]);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Embedding = PromptModelBundle.Weighted(vectors[i], embeddingWeight);
        }

        return PromptModelTrainer.Train(ml, rows, PromptModelTrainer.DefaultTrainer, PromptFeatureSet.NgramsAndEmbedding);
    }

    /// <summary>Reads a follow-ups file: one message per line, with the escapes of <see cref="LabelledPromptFile"/>.</summary>
    public static IReadOnlyList<string> ReadFollowUps(string path) =>
        [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(LabelledPromptFile.Unescape)];

    /// <summary>The follow-ups file beside a training file: <c>data/train.tsv</c> → <c>data/followups.txt</c>.</summary>
    public static string PathBeside(string trainingDataPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(trainingDataPath)) ?? ".", "followups.txt");

    /// <summary>The probability that <paramref name="message"/> is a follow-up that needs its conversation.</summary>
    public double Probability(string message)
    {
        var input = new PromptModelInput { Text = PromptTextNormalizer.Normalize(message) };
        if (_withEmbedding is not null && _embedder() is { } embedder)
        {
            input.Embedding = PromptModelBundle.Weighted(embedder.Embed(input.Text), _embeddingWeight);
            return _withEmbedding.Probability(input);
        }

        return _ngrams.Probability(input);
    }

    private static List<PromptModelInput> Rows(IEnumerable<string> followUps, IEnumerable<string> standalone) =>
        [.. followUps.Select(m => new PromptModelInput { Text = PromptTextNormalizer.Normalize(m), Label = FollowUpLabel })
            .Concat(standalone.Select(m => new PromptModelInput { Text = PromptTextNormalizer.Normalize(m), Label = StandaloneLabel }))];

    /// <summary>One trained detector, scored by <see cref="LinearNgramScorer"/> when it applies, by ML.NET's engine otherwise.</summary>
    private sealed class Detector
    {
        private readonly PredictionEnginePool? _engines;
        private readonly LinearNgramScorer? _scorer;
        private readonly int _slot;
        private readonly bool _readsEmbedding;

        public Detector(MLContext ml, ITransformer model, PromptFeatureSet features)
        {
            _readsEmbedding = features == PromptFeatureSet.NgramsAndEmbedding;
            _scorer = LinearNgramScorer.TryCreateVerified(ml, model, features);
            _engines = _scorer is null ? new PredictionEnginePool(ml, model, maxRetained: Environment.ProcessorCount * 4) : null;
            _slot = Array.IndexOf(PromptModelTrainer.ScoreSlots(ml, model), FollowUpLabel);
            if (_slot < 0)
            {
                throw new InvalidDataException($"The follow-up model has no '{FollowUpLabel}' score.");
            }
        }

        public double Probability(PromptModelInput input)
        {
            if (_scorer is not null)
            {
                Span<float> scores = stackalloc float[_scorer.Classes];
                _scorer.Score(input.Text, _readsEmbedding ? input.Embedding : default, scores);
                return scores[_slot];
            }

            var engine = _engines!.Rent();
            try
            {
                return engine.Predict(input).Score[_slot];
            }
            finally
            {
                _engines.Return(engine);
            }
        }
    }
}
