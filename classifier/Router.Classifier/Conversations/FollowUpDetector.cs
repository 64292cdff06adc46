using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Training;

namespace Router.Classifier.Conversations;

/// <summary>
/// Tells a follow-up that leans on its conversation ("and in Rust?", "why?", "make it shorter", "noch ein
/// Beispiel") from a message that stands on its own. The category model is trained on self-contained prompts
/// and is often confidently wrong about such fragments ("how did you get that?" reads as small talk), so the
/// conversation rule asks this model too. The same n-gram features as the first tier, two labels, trained on
/// <c>classifier/data/followups.txt</c> against the training prompts. Thread-safe (a pool of prediction engines).
/// </summary>
public sealed class FollowUpDetector
{
    /// <summary>Label of a follow-up.</summary>
    public const string FollowUpLabel = "follow-up";

    /// <summary>Label of a self-contained message.</summary>
    public const string StandaloneLabel = "standalone";

    private readonly PredictionEnginePool? _engines;
    private readonly LinearNgramScorer? _scorer;
    private readonly int _slot;

    public FollowUpDetector(MLContext ml, ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(ml);
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _scorer = LinearNgramScorer.TryCreateVerified(ml, model, PromptFeatureSet.Ngrams);
        _engines = _scorer is null ? new PredictionEnginePool(ml, model, maxRetained: Environment.ProcessorCount * 4) : null;
        _slot = Array.IndexOf(PromptModelTrainer.ScoreSlots(ml, model), FollowUpLabel);
        if (_slot < 0)
        {
            throw new InvalidDataException($"The follow-up model has no '{FollowUpLabel}' score.");
        }
    }

    public ITransformer Model { get; }

    /// <summary>Trains on follow-up fragments and self-contained prompts.</summary>
    public static ITransformer Train(MLContext ml, IEnumerable<string> followUps, IEnumerable<string> standalone)
    {
        ArgumentNullException.ThrowIfNull(followUps);
        ArgumentNullException.ThrowIfNull(standalone);
        var rows = followUps.Select(m => new PromptModelInput { Text = PromptTextNormalizer.Normalize(m), Label = FollowUpLabel })
            .Concat(standalone.Select(m => new PromptModelInput { Text = PromptTextNormalizer.Normalize(m), Label = StandaloneLabel }))
            .ToList();
        return PromptModelTrainer.Train(ml, rows, PromptModelTrainer.DefaultTrainer, PromptFeatureSet.Ngrams);
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
        var text = PromptTextNormalizer.Normalize(message);
        if (_scorer is not null)
        {
            Span<float> scores = stackalloc float[_scorer.Classes];
            _scorer.Score(text, default, scores);
            return scores[_slot];
        }

        var input = new PromptModelInput { Text = text };
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
