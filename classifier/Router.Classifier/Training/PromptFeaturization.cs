namespace Router.Classifier.Training;

/// <summary>
/// The n-gram featurisation and regularisation of the pipeline. Only <see cref="Default"/> is shipped (and only it is
/// scored by <see cref="LinearNgramScorer"/>, which packs character 4-grams into one key); the others exist so that
/// <c>compare --grid</c> can re-measure the choice on a validation set.
/// </summary>
/// <param name="WordNgramLength">Word n-grams of length 1 up to this.</param>
/// <param name="CharNgramLength">Character n-grams of exactly this length.</param>
/// <param name="L2Regularization">L2 weight of the maximum-entropy trainer (the features are L2-normalised).</param>
public sealed record PromptFeaturization(int WordNgramLength, int CharNgramLength, float L2Regularization)
{
    /// <summary>Word 1–2-grams, character 4-grams, L2 0.01: re-chosen on <c>classifier/data/validation.tsv</c> (classifier/README.md).</summary>
    public static PromptFeaturization Default { get; } = new(2, 4, 0.01f);
}
