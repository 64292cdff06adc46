using Microsoft.ML.Data;
using Router.Classifier.Embedding;

namespace Router.Classifier.Training;

/// <summary>A row the ML.NET pipeline reads. <see cref="Label"/> is empty at prediction time.</summary>
public sealed class PromptModelInput
{
    [ColumnName("Text")]
    public string Text { get; set; } = string.Empty;

    [ColumnName("Label")]
    public string Label { get; set; } = string.Empty;

    /// <summary>The sentence embedding of <see cref="Text"/>; read only by the <see cref="PromptFeatureSet.NgramsAndEmbedding"/> model.</summary>
    [ColumnName("Embedding")]
    [VectorType(PromptEmbedder.Dimensions)]
    public float[] Embedding { get; set; } = NoEmbedding;

    // Shared and never written: rows for the n-gram tier need the column but not its values.
    internal static readonly float[] NoEmbedding = new float[PromptEmbedder.Dimensions];
}

/// <summary>A row the ML.NET pipeline writes.</summary>
public sealed class PromptModelOutput
{
    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = string.Empty;

    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}

/// <summary>Which features a model reads.</summary>
public enum PromptFeatureSet
{
    /// <summary>Word 1–2-grams and character 4-grams of the normalised text.</summary>
    Ngrams,

    /// <summary>The n-grams plus the sentence embedding.</summary>
    NgramsAndEmbedding,
}
