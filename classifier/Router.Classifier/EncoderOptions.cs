namespace Router.Classifier;

/// <summary>The second tier: a sentence encoder consulted when the n-gram tier is unsure. Bound from <c>Classifier:Encoder</c>.</summary>
public sealed class EncoderOptions
{
    /// <summary>Load the encoder and use the second tier. Off: n-grams decide every prompt (start-up is faster, quality lower).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The second tier decides when the n-gram tier's calibrated confidence is below this; 0 never asks it,
    /// 1 always does. Chosen on the held-out split and the challenge set (see classifier/README.md).
    /// </summary>
    public double EscalateBelow { get; set; } = 0.8;

    /// <summary>
    /// The embedding a model trained at start-up (<c>Classifier:TrainingDataPath</c>) uses: <c>static</c> or
    /// <c>transformer</c>. A saved model records its own kind in its manifest.
    /// </summary>
    public string TrainingEmbedding { get; set; } = Embedding.EmbeddingKinds.Static;
}
