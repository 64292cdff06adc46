using Microsoft.ML;
using Router.Classifier.Data;
using Router.Classifier.Embedding;

namespace Router.Classifier.Training;

/// <summary>
/// The two tiers of the classifier and their calibration: an n-gram model that answers most prompts in well
/// under a millisecond, and a model reading n-grams and a sentence embedding that is asked only when the first
/// is unsure. <see cref="Hybrid"/> is null for a model trained without the encoder. The follow-up detector has the same
/// two tiers (<see cref="FollowUp"/>, <see cref="FollowUpWithEmbedding"/>).
/// </summary>
public sealed record PromptModelBundle(ITransformer Ngram, ITransformer? Hybrid, ModelManifest Manifest, ITransformer? FollowUp = null,
    ITransformer? FollowUpWithEmbedding = null)
{
    /// <summary>Default weight of the embedding against the L2-normalised n-gram vector in the second tier's features.</summary>
    public const double DefaultEmbeddingWeight = 1;

    /// <summary>Folds of the cross-validation whose out-of-fold predictions fit the temperatures.</summary>
    public const int CalibrationFolds = 5;

    /// <summary>Trains both tiers on <paramref name="prompts"/>; without <paramref name="embedder"/> only the n-gram tier.</summary>
    public static PromptModelBundle Train(MLContext ml, IReadOnlyList<LabelledPrompt> prompts, IPromptEmbedder? embedder,
        PromptTrainerKind trainer = PromptModelTrainer.DefaultTrainer, double embeddingWeight = DefaultEmbeddingWeight,
        IReadOnlyList<string>? followUps = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(prompts);
        var rows = PromptModelTrainer.ToRows(prompts);
        if (embedder is not null)
        {
            var vectors = embedder.EmbedMany([.. rows.Select(r => r.Text)]);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Embedding = Weighted(vectors[i], embeddingWeight);
            }
        }

        var ngramTemperature = FitTemperature(ml, rows, trainer, PromptFeatureSet.Ngrams);
        var hybridTemperature = embedder is null ? 1 : FitTemperature(ml, rows, trainer, PromptFeatureSet.NgramsAndEmbedding);
        var ngram = PromptModelTrainer.Train(ml, rows, trainer, PromptFeatureSet.Ngrams);
        var hybrid = embedder is null ? null : PromptModelTrainer.Train(ml, rows, trainer, PromptFeatureSet.NgramsAndEmbedding);
        var followUp = followUps is { Count: > 0 } ? Conversations.FollowUpDetector.Train(ml, followUps, prompts.Select(p => p.Message)) : null;
        var followUpWithEmbedding = followUps is { Count: > 0 } && embedder is not null
            ? Conversations.FollowUpDetector.TrainWithEmbedding(ml, followUps, prompts.Select(p => p.Message), embedder, embeddingWeight)
            : null;
        var manifest = ModelManifest.For(prompts, trainer) with
        {
            NgramTemperature = ngramTemperature,
            HybridTemperature = hybridTemperature,
            EmbeddingWeight = embeddingWeight,
            EmbeddingKind = embedder is StaticPromptEmbedder ? EmbeddingKinds.Static : EmbeddingKinds.Transformer,
            FollowUps = followUp is null ? 0 : followUps!.Count,
        };
        return new PromptModelBundle(ngram, hybrid, manifest, followUp, followUpWithEmbedding);
    }

    /// <summary>
    /// Refits each tier's temperature on <paramref name="prompts"/>, a labelled set in voices the model was not
    /// trained on: out-of-fold predictions of the training data come from the training voices, and calibration
    /// fitted there stays over-confident on strangers' prompts. The categories the tiers choose do not change.
    /// </summary>
    public PromptModelBundle CalibratedOn(MLContext ml, IReadOnlyList<LabelledPrompt> prompts, IPromptEmbedder? embedder)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(prompts);
        var rows = PromptModelTrainer.ToRows(prompts);
        if (Hybrid is not null && embedder is not null)
        {
            var vectors = embedder.EmbedMany([.. rows.Select(r => r.Text)]);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Embedding = Weighted(vectors[i], Manifest.EmbeddingWeight);
            }
        }

        var ngramTemperature = FitTemperature(ml, Ngram, rows);
        var hybridTemperature = Hybrid is null || embedder is null ? Manifest.HybridTemperature : FitTemperature(ml, Hybrid, rows);
        return this with
        {
            Manifest = Manifest with { NgramTemperature = ngramTemperature, HybridTemperature = hybridTemperature, CalibrationPrompts = prompts.Count },
        };
    }

    private static double FitTemperature(MLContext ml, ITransformer model, List<PromptModelInput> rows)
    {
        var categories = PromptCategories.All;
        var slots = PromptModelTrainer.ScoreSlots(ml, model);
        var probabilities = new List<float[]>(rows.Count);
        var labels = new List<int>(rows.Count);
        var predictions = ml.Data.CreateEnumerable<PromptModelOutput>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false);
        foreach (var (row, prediction) in rows.Zip(predictions))
        {
            var full = new float[categories.Count];
            for (var s = 0; s < slots.Length; s++)
            {
                full[IndexOf(categories, slots[s])] = prediction.Score[s];
            }

            probabilities.Add(full);
            labels.Add(IndexOf(categories, row.Label));
        }

        return TemperatureScaling.Fit(probabilities, labels);
    }

    /// <summary>Scales <paramref name="embedding"/> in place to the second tier's weight and returns it.</summary>
    public static float[] Weighted(float[] embedding, double weight)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        for (var i = 0; i < embedding.Length; i++)
        {
            embedding[i] *= (float)weight;
        }

        return embedding;
    }

    /// <summary>Writes the n-gram model to <paramref name="path"/>, the second tier beside it and the manifest.</summary>
    public void Save(MLContext ml, string path)
    {
        PromptModelTrainer.Save(ml, Ngram, path);
        var hybridPath = ModelManifest.HybridPathFor(path);
        if (Hybrid is not null)
        {
            PromptModelTrainer.Save(ml, Hybrid, hybridPath);
        }
        else if (File.Exists(hybridPath))
        {
            File.Delete(hybridPath);
        }

        var followUpPath = ModelManifest.FollowUpPathFor(path);
        if (FollowUp is not null)
        {
            PromptModelTrainer.Save(ml, FollowUp, followUpPath);
        }
        else if (File.Exists(followUpPath))
        {
            File.Delete(followUpPath);
        }

        var followUpWithEmbeddingPath = ModelManifest.FollowUpWithEmbeddingPathFor(path);
        if (FollowUpWithEmbedding is not null)
        {
            PromptModelTrainer.Save(ml, FollowUpWithEmbedding, followUpWithEmbeddingPath);
        }
        else if (File.Exists(followUpWithEmbeddingPath))
        {
            File.Delete(followUpWithEmbeddingPath);
        }

        Manifest.Write(ModelManifest.PathFor(path));
    }

    /// <summary>Loads what <see cref="Save"/> wrote; a model without manifest or second tier loads uncalibrated, n-grams only.</summary>
    public static PromptModelBundle Load(MLContext ml, string path)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var ngram = PromptModelTrainer.Load(ml, path);
        var hybridPath = ModelManifest.HybridPathFor(path);
        var hybrid = File.Exists(hybridPath) ? PromptModelTrainer.Load(ml, hybridPath) : null;
        var manifestPath = ModelManifest.PathFor(path);
        ModelManifest manifest;
        if (File.Exists(manifestPath))
        {
            using var stream = File.OpenRead(manifestPath);
            manifest = ModelManifest.Read(stream);
        }
        else
        {
            manifest = new ModelManifest(0, "unknown", 0, string.Empty);
        }

        var followUpPath = ModelManifest.FollowUpPathFor(path);
        var followUp = File.Exists(followUpPath) ? PromptModelTrainer.Load(ml, followUpPath) : null;
        var followUpWithEmbeddingPath = ModelManifest.FollowUpWithEmbeddingPathFor(path);
        var followUpWithEmbedding = File.Exists(followUpWithEmbeddingPath) ? PromptModelTrainer.Load(ml, followUpWithEmbeddingPath) : null;
        return new PromptModelBundle(ngram, hybrid, manifest, followUp, followUpWithEmbedding);
    }

    /// <summary>The bundle shipped inside this assembly.</summary>
    public static PromptModelBundle LoadEmbedded(MLContext ml) =>
        new(PromptModelTrainer.LoadEmbedded(ml), PromptModelTrainer.LoadEmbeddedHybrid(ml), PromptModelTrainer.LoadEmbeddedManifest(),
            PromptModelTrainer.LoadEmbeddedOptional(ml, "Router.Classifier.model.followup.zip"),
            PromptModelTrainer.LoadEmbeddedOptional(ml, "Router.Classifier.model.followup.hybrid.zip"));

    private static double FitTemperature(MLContext ml, List<PromptModelInput> rows, PromptTrainerKind trainer, PromptFeatureSet features)
    {
        // A seeded shuffle makes the folds independent of file order yet the same on every run.
        var fold = new int[rows.Count];
        var order = Enumerable.Range(0, rows.Count).ToArray();
        new Random(PromptModelTrainer.Seed).Shuffle(order);
        for (var i = 0; i < order.Length; i++)
        {
            fold[order[i]] = i % CalibrationFolds;
        }

        var categories = PromptCategories.All;
        var probabilities = new List<float[]>(rows.Count);
        var labels = new List<int>(rows.Count);
        for (var k = 0; k < CalibrationFolds; k++)
        {
            var train = rows.Where((_, i) => fold[i] != k).ToList();
            var test = rows.Where((_, i) => fold[i] == k).ToList();
            if (train.Count == 0 || test.Count == 0)
            {
                continue;
            }

            var model = PromptModelTrainer.Train(ml, train, trainer, features);
            var slots = PromptModelTrainer.ScoreSlots(ml, model);
            var predictions = ml.Data.CreateEnumerable<PromptModelOutput>(model.Transform(ml.Data.LoadFromEnumerable(test)), reuseRowObject: false);
            foreach (var (row, prediction) in test.Zip(predictions))
            {
                var full = new float[categories.Count];
                for (var s = 0; s < slots.Length; s++)
                {
                    full[IndexOf(categories, slots[s])] = prediction.Score[s];
                }

                probabilities.Add(full);
                labels.Add(IndexOf(categories, row.Label));
            }
        }

        return probabilities.Count == 0 ? 1 : TemperatureScaling.Fit(probabilities, labels);
    }

    private static int IndexOf(IReadOnlyList<string> categories, string category)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            if (categories[i] == category)
            {
                return i;
            }
        }

        throw new InvalidDataException($"Unknown category '{category}'.");
    }
}
