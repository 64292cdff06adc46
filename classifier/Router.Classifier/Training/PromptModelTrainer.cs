using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;
using Router.Classifier.Data;

namespace Router.Classifier.Training;

/// <summary>Builds, trains, saves and loads the ML.NET pipeline: text → word and character n-grams → multiclass trainer.</summary>
public static class PromptModelTrainer
{
    /// <summary>The trainer with the best held-out macro-F1 (see classifier/README.md).</summary>
    public const PromptTrainerKind DefaultTrainer = PromptTrainerKind.LbfgsMaximumEntropy;

    /// <summary>Bumped whenever normalisation or featurisation changes, so a stale shipped model is detected.</summary>
    public const int PipelineVersion = 2;

    /// <summary>Fixed seed: the same data always gives the same model.</summary>
    public const int Seed = 20250528;

    public static ITransformer Train(MLContext ml, IEnumerable<LabelledPrompt> prompts, PromptTrainerKind trainer = DefaultTrainer) =>
        Train(ml, ToRows(prompts), trainer, PromptFeatureSet.Ngrams);

    /// <summary>Trains on rows already normalised (and, for <see cref="PromptFeatureSet.NgramsAndEmbedding"/>, embedded).</summary>
    public static ITransformer Train(MLContext ml, IReadOnlyList<PromptModelInput> rows, PromptTrainerKind trainer, PromptFeatureSet features,
        PromptFeaturization? featurization = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("No labelled prompts to train on.", nameof(rows));
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        return BuildPipeline(ml, trainer, features, featurization).Fit(data);
    }

    public static IEstimator<ITransformer> BuildPipeline(MLContext ml, PromptTrainerKind trainer, PromptFeatureSet features = PromptFeatureSet.Ngrams,
        PromptFeaturization? featurization = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var f = featurization ?? PromptFeaturization.Default;
        var featurizer = new TextFeaturizingEstimator.Options
        {
            // PromptTextNormalizer has already lower-cased and spaced out punctuation.
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            StopWordsRemoverOptions = null,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = f.WordNgramLength, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = f.CharNgramLength, UseAllLengths = false },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Text.FeaturizeText(features == PromptFeatureSet.Ngrams ? "Features" : "NgramFeatures", featurizer, "Text"));
        IEstimator<ITransformer> featurised = features == PromptFeatureSet.Ngrams
            ? pipeline
            : pipeline.Append(ml.Transforms.Concatenate("Features", "NgramFeatures", "Embedding"));

        IEstimator<ITransformer> learner = trainer switch
        {
            PromptTrainerKind.SdcaMaximumEntropy => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                labelColumnName: "Label", featureColumnName: "Features"),
            // The text features are L2-normalised, so the default regularisation (1.0) drowns them (PromptFeaturization).
            PromptTrainerKind.LbfgsMaximumEntropy => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                labelColumnName: "Label", featureColumnName: "Features", l1Regularization: 0, l2Regularization: f.L2Regularization),
            PromptTrainerKind.OneVersusAllAveragedPerceptron => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.AveragedPerceptron(numberOfIterations: 20), labelColumnName: "Label"),
            PromptTrainerKind.OneVersusAllLinearSvm => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.LinearSvm(numberOfIterations: 50), labelColumnName: "Label"),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Unknown trainer."),
        };

        return featurised
            .Append(learner)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel", "PredictedLabel"));
    }

    public static void Save(MLContext ml, ITransformer model, string path)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        ml.Model.Save(model, InputSchema(ml), path);
    }

    public static ITransformer Load(MLContext ml, string path)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return ml.Model.Load(path, out _);
    }

    /// <summary>The schema of <see cref="PromptModelInput"/>, used when saving and when reading score slot names.</summary>
    public static DataViewSchema InputSchema(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return ml.Data.LoadFromEnumerable(Array.Empty<PromptModelInput>()).Schema;
    }

    /// <summary>The model shipped inside this assembly, trained on classifier/data/train.tsv.</summary>
    public static ITransformer LoadEmbedded(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        using var stream = OpenResource("Router.Classifier.model.zip");
        return ml.Model.Load(stream, out _);
    }

    /// <summary>The shipped second tier (n-grams and embedding), or null when none was shipped.</summary>
    public static ITransformer? LoadEmbeddedHybrid(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        using var stream = typeof(PromptModelTrainer).Assembly.GetManifestResourceStream("Router.Classifier.model.hybrid.zip");
        return stream is null ? null : ml.Model.Load(stream, out _);
    }

    /// <summary>A model shipped inside this assembly under <paramref name="resource"/>, or null when none was shipped.</summary>
    public static ITransformer? LoadEmbeddedOptional(MLContext ml, string resource)
    {
        ArgumentNullException.ThrowIfNull(ml);
        using var stream = typeof(PromptModelTrainer).Assembly.GetManifestResourceStream(resource);
        return stream is null ? null : ml.Model.Load(stream, out _);
    }

    /// <summary>The category of each score slot, read from the model so the order never has to be assumed.</summary>
    public static string[] ScoreSlots(MLContext ml, ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var schema = model.GetOutputSchema(InputSchema(ml));
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema["Score"].GetSlotNames(ref names);
        var categories = names.DenseValues().Select(n => n.ToString()).ToArray();
        if (categories.Length == 0)
        {
            throw new InvalidOperationException("The model's Score column has no category names.");
        }

        return categories;
    }

    /// <summary>What produced the shipped model.</summary>
    public static ModelManifest LoadEmbeddedManifest()
    {
        using var stream = OpenResource("Router.Classifier.model.manifest.json");
        return ModelManifest.Read(stream);
    }

    private static Stream OpenResource(string name) =>
        typeof(PromptModelTrainer).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing; run the train command (see classifier/README.md).");

    public static List<PromptModelInput> ToRows(IEnumerable<LabelledPrompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return [.. prompts.Select(p => new PromptModelInput { Text = PromptTextNormalizer.Normalize(p.Message), Label = p.Category })];
    }
}
