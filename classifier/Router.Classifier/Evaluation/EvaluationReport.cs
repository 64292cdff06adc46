namespace Router.Classifier.Evaluation;

/// <summary>Precision, recall and F1 of one category.</summary>
public sealed record CategoryMetrics(string Category, int Support, double Precision, double Recall, double F1);

/// <summary>
/// The result of classifying a labelled set: overall and per-category figures and the confusion matrix,
/// whose rows are the true category and columns the predicted one, both in <c>Categories</c> order.
/// </summary>
public sealed record EvaluationReport(
    int Count,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<string> Categories,
    IReadOnlyList<CategoryMetrics> PerCategory,
    int[,] Confusion,
    IReadOnlyList<Misclassification> Misclassified,
    IReadOnlyList<double> Confidences,
    IReadOnlyList<bool> Correct,
    IReadOnlyList<string> Tiers,
    IReadOnlyList<string>? Models = null,
    IReadOnlyList<string>? ExpectedModels = null)
{
    /// <summary>
    /// Share of prompts sent to the model their true category routes to (the decision a user feels: a knowledge
    /// question taken for conversation still reaches the right model); NaN when the models were not recorded.
    /// </summary>
    public double ModelAccuracy => Models is null || ExpectedModels is null || Count == 0
        ? double.NaN
        : Enumerable.Range(0, Count).Count(i => Models[i] == ExpectedModels[i]) / (double)Count;

    /// <summary>For each model: prompts sent to it, the share of them that belong to it (purity), and the share of its own prompts it got.</summary>
    public IReadOnlyList<ModelMetrics> PerModel => Models is null || ExpectedModels is null
        ? []
        : [.. Models.Concat(ExpectedModels).Distinct().Order(StringComparer.Ordinal).Select(model =>
        {
            var sent = Enumerable.Range(0, Count).Where(i => Models[i] == model).ToList();
            var owned = Enumerable.Range(0, Count).Count(i => ExpectedModels[i] == model);
            var right = sent.Count(i => ExpectedModels[i] == model);
            return new ModelMetrics(model, sent.Count, owned, sent.Count == 0 ? 0 : right / (double)sent.Count, owned == 0 ? 0 : right / (double)owned);
        })];

    /// <summary>Expected calibration error of the reported confidences, ten equal-width bins.</summary>
    public double ExpectedCalibrationError => CalibrationMetrics.ExpectedCalibrationError(Confidences, Correct);

    public CategoryMetrics this[string category] => PerCategory.Single(m => m.Category == category);
}

/// <summary>How one model's traffic turned out: <paramref name="Purity"/> is the share of what it received that belongs to it, <paramref name="Recall"/> the share of what belongs to it that it received.</summary>
public sealed record ModelMetrics(string Model, int Received, int Belonging, double Purity, double Recall);

/// <summary>A message the model got wrong.</summary>
public sealed record Misclassification(string Message, string Expected, string Predicted, double Confidence, string Tier);
