using Microsoft.ML;

namespace Router.Classifier.Training;

/// <summary>The load-time check of <see cref="LinearNgramScorer"/> against ML.NET's own scores, and the slot-name parsing it relies on.</summary>
internal sealed partial class LinearNgramScorer
{
    /// <summary>
    /// <see cref="TryCreate"/>, kept only when its probabilities match ML.NET's own for a set of probe texts (words the
    /// dictionaries know and do not, punctuation, CJK, astral characters, an empty text, a long one) within
    /// <see cref="MaxDifference"/>; otherwise null, and the caller keeps ML.NET's engine.
    /// </summary>
    public static LinearNgramScorer? TryCreateVerified(MLContext ml, ITransformer model, PromptFeatureSet features, LinearNgramScorer? sameVocabulary = null)
    {
        var scorer = TryCreate(ml, model, features, sameVocabulary);
        if (scorer is null)
        {
            return null;
        }

        using var engine = ml.Model.CreatePredictionEngine<PromptModelInput, PromptModelOutput>(model);
        var embedding = new float[PromptModelInput.NoEmbedding.Length];
        for (var d = 0; d < embedding.Length; d++)
        {
            embedding[d] = MathF.Sin(d * 0.37f) / 14f;
        }

        Span<float> ours = stackalloc float[scorer.Classes];
        foreach (var probe in Probes)
        {
            var text = PromptTextNormalizer.Normalize(probe);
            var input = new PromptModelInput { Text = text };
            if (features == PromptFeatureSet.NgramsAndEmbedding)
            {
                input.Embedding = embedding;
            }

            var theirs = engine.Predict(input).Score;
            scorer.Score(text, features == PromptFeatureSet.NgramsAndEmbedding ? embedding : default, ours);
            if (theirs.Length != ours.Length)
            {
                return null;
            }

            for (var k = 0; k < ours.Length; k++)
            {
                if (Math.Abs(theirs[k] - ours[k]) > MaxDifference)
                {
                    return null;
                }
            }
        }

        return scorer;
    }

    /// <summary>Largest difference from ML.NET's probabilities accepted at load (float rounding in a different summation order).</summary>
    public const float MaxDifference = 1e-4f;

    private static readonly string[] Probes =
    [
        string.Empty,
        "hello",
        "Write a Python function that reverses a linked list, and explain why it works.",
        "Summarise this text: the committee met on Tuesday | and again on Friday || to review the budget (again).",
        "Was ist die Ableitung von x³ + 2x? ¿Y la integral? Ça dépend… 東京は大きい。 你好吗？ 🙂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "zzqx unknownword qwxz — plus a limerick about a cat, please!!! <tag> a|b ## \\n",
        string.Concat(Enumerable.Repeat("The budget grew by eleven percent; var total = items.Sum(i => i.Price); ", 40)),
    ];

    /// <summary>
    /// A character slot name (<c>a|b|&lt;␠&gt;|c</c>: four characters joined by bars, the space and the markers shown as
    /// control pictures in angle brackets) as four UTF-16 units in one number, or null when it is not one.
    /// </summary>
    internal static ulong? ParseCharGram(ReadOnlySpan<char> name)
    {
        ulong gram = 0;
        var at = 0;
        for (var n = 0; n < 4; n++)
        {
            if (n > 0)
            {
                if (at >= name.Length || name[at] != '|')
                {
                    return null;
                }

                at++;
            }

            if (at + 2 < name.Length && name[at] == '<' && name[at + 2] == '>' && name[at + 1] is >= '\u2400' and <= '\u2420')
            {
                gram = (gram << 16) | (ushort)(name[at + 1] - '\u2400');
                at += 3;
            }
            else if (at < name.Length)
            {
                gram = (gram << 16) | name[at];
                at++;
            }
            else
            {
                return null;
            }
        }

        return at == name.Length ? gram : null;
    }
}
