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
    IReadOnlyList<string> Tiers)
{
    /// <summary>Expected calibration error of the reported confidences, ten equal-width bins.</summary>
    public double ExpectedCalibrationError => CalibrationMetrics.ExpectedCalibrationError(Confidences, Correct);

    public CategoryMetrics this[string category] => PerCategory.Single(m => m.Category == category);
}

/// <summary>A message the model got wrong.</summary>
public sealed record Misclassification(string Message, string Expected, string Predicted, double Confidence, string Tier);
