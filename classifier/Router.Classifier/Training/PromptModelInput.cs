using Microsoft.ML.Data;

namespace Router.Classifier.Training;

/// <summary>A row the ML.NET pipeline reads. <see cref="Label"/> is empty at prediction time.</summary>
public sealed class PromptModelInput
{
    [ColumnName("Text")]
    public string Text { get; set; } = string.Empty;

    [ColumnName("Label")]
    public string Label { get; set; } = string.Empty;
}

/// <summary>A row the ML.NET pipeline writes.</summary>
public sealed class PromptModelOutput
{
    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = string.Empty;

    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}
