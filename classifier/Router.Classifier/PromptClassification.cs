namespace Router.Classifier;

/// <summary>The answer for one message: the model to use, the predicted category, its probability and every category's probability.</summary>
/// <param name="Model">Model chosen by the routing table (the default model when <paramref name="Confidence"/> is under the threshold).</param>
/// <param name="Category">Most probable category.</param>
/// <param name="Confidence">Probability of <paramref name="Category"/>, between 0 and 1.</param>
/// <param name="Scores">Probability of every category; the values sum to 1.</param>
public sealed record PromptClassification(
    string Model,
    string Category,
    double Confidence,
    IReadOnlyDictionary<string, double> Scores);
