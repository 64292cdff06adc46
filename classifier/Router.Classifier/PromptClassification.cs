namespace Router.Classifier;

/// <summary>The answer for one message: the model to use, the predicted category, its probability and every category's probability.</summary>
/// <param name="Model">Model chosen by the routing table (the default model when <paramref name="Confidence"/> is under the threshold).</param>
/// <param name="Category">Most probable category.</param>
/// <param name="Confidence">Calibrated probability of <paramref name="Category"/>, between 0 and 1.</param>
/// <param name="Scores">Calibrated probability of every category; the values sum to 1.</param>
public sealed record PromptClassification(
    string Model,
    string Category,
    double Confidence,
    IReadOnlyDictionary<string, double> Scores)
{
    /// <summary>Which tier decided: <see cref="ClassifierTiers.Ngrams"/> or <see cref="ClassifierTiers.NgramsAndEmbedding"/>.</summary>
    public string Tier { get; init; } = ClassifierTiers.Ngrams;

    /// <summary>The n-gram tier's calibrated confidence; equal to <see cref="Confidence"/> when that tier decided.</summary>
    public double NgramConfidence { get; init; }
}

/// <summary>Names of the classifier's tiers, as reported in <see cref="PromptClassification.Tier"/>.</summary>
public static class ClassifierTiers
{
    /// <summary>Word and character n-grams, linear model: every prompt starts here.</summary>
    public const string Ngrams = "ngrams";

    /// <summary>N-grams plus the sentence embedding: asked when the n-gram tier is unsure.</summary>
    public const string NgramsAndEmbedding = "ngrams+embedding";
}
