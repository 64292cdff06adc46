namespace Router.Classifier.Embedding;

/// <summary>Turns a normalised prompt into a unit-length vector the second tier reads beside the n-grams.</summary>
public interface IPromptEmbedder : IDisposable
{
    /// <summary>Width of an embedding.</summary>
    int Dimensions { get; }

    /// <summary>The L2-normalised embedding of one normalised prompt.</summary>
    float[] Embed(string normalizedText);

    /// <summary>Embeddings of many prompts (for training and evaluation).</summary>
    float[][] EmbedMany(IReadOnlyList<string> normalizedTexts);
}

/// <summary>Which embedding a second tier was trained on; recorded in the model manifest.</summary>
public static class EmbeddingKinds
{
    /// <summary>The arctic-embed-xs transformer, run per prompt (6–9 ms of CPU a run on the project's machine).</summary>
    public const string Transformer = "transformer";

    /// <summary>
    /// A table of one vector per word piece, distilled from the same transformer, averaged over the prompt's word
    /// pieces: a lookup and a sum, tens of microseconds.
    /// </summary>
    public const string Static = "static";
}
