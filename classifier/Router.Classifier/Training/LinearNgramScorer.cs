using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Router.Classifier.Training;

/// <summary>
/// Computes what a trained tier's ML.NET pipeline computes — word 1–2-grams and character 4-grams counted
/// against the training dictionaries, each bag L2-normalised, an optional embedding appended, a linear maximum
/// entropy model and its softmax — without the pipeline. ML.NET's prediction engine spends most of a 2 KiB
/// prompt's time building intermediate columns (token arrays, key vectors, n-gram buffers, a 50,000-slot
/// vector); this does one pass over the text with dictionary lookups on spans and no allocation per call.
/// The dictionaries are read from the model's own slot names and the weights from its parameters, so the model
/// file is unchanged; <see cref="TryCreate"/> returns null for any model not of that shape, and the caller
/// checks the scores against ML.NET's at load (<see cref="MaxDifference"/>).
/// </summary>
internal sealed partial class LinearNgramScorer
{
    // The markers ML.NET's character tokenizer puts around a text.
    private const char StartMarker = '\u0002';
    private const char EndMarker = '\u0003';

    // Keyed by Spread(gram): see there.
    private readonly Dictionary<ulong, int> _chars;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly int _ngramSlots;
    private readonly int _classes;
    private readonly float[] _weights; // slot-major: _weights[slot * _classes + class]
    private readonly float[] _biases;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private LinearNgramScorer(Dictionary<ulong, int> chars, Dictionary<string, int> words, int ngramSlots, int classes, float[] weights, float[] biases)
    {
        _chars = chars;
        _words = words.GetAlternateLookup<ReadOnlySpan<char>>();
        _ngramSlots = ngramSlots;
        _classes = classes;
        _weights = weights;
        _biases = biases;
    }

    /// <summary>Number of score slots, in the order of the model's <c>Score</c> column.</summary>
    public int Classes => _classes;

    /// <summary>
    /// Reads the dictionaries and weights of a model built by <see cref="PromptModelTrainer.BuildPipeline"/>, or returns
    /// null when the model has another shape (another trainer, older pipeline).
    /// </summary>
    /// <param name="sameVocabulary">A scorer whose dictionaries this one takes over when they are the same (<see cref="Share"/>).</param>
    public static LinearNgramScorer? TryCreate(MLContext ml, ITransformer model, PromptFeatureSet features, LinearNgramScorer? sameVocabulary = null)
    {
        var parts = Flatten(model).ToList();
        if (parts.OfType<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>().FirstOrDefault() is not { } predictor
            || !parts.Any(t => t.GetType().DeclaringType == typeof(TextFeaturizingEstimator)))
        {
            return null;
        }

        var schema = model.GetOutputSchema(PromptModelTrainer.InputSchema(ml));
        var column = features == PromptFeatureSet.Ngrams ? "Features" : "NgramFeatures";
        if (schema.GetColumnOrNull(column) is not { } ngramColumn || !ngramColumn.HasSlotNames())
        {
            return null;
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        ngramColumn.GetSlotNames(ref names);
        var slots = names.DenseValues().Select(n => n.ToString()).ToArray();
        var chars = new Dictionary<ulong, int>();
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < slots.Length; i++)
        {
            // The featuriser puts the character bag first, then the word bag; anything else is a shape this does not know.
            if (slots[i].StartsWith("Char.", StringComparison.Ordinal) && words.Count == 0)
            {
                if (ParseCharGram(slots[i].AsSpan(5)) is not { } gram)
                {
                    return null;
                }

                chars.TryAdd(Spread(gram), i);
            }
            else if (slots[i].StartsWith("Word.", StringComparison.Ordinal))
            {
                words.TryAdd(slots[i][5..], i);
            }
            else
            {
                return null;
            }
        }

        var parameters = predictor.Model;
        VBuffer<float>[] weights = [];
        parameters.GetWeights(ref weights, out var classes);
        var width = features == PromptFeatureSet.Ngrams ? slots.Length : slots.Length + PromptModelInput.NoEmbedding.Length;
        if (classes == 0 || weights.Length != classes || weights.Any(w => w.Length != width))
        {
            return null;
        }

        var dense = new float[width * classes];
        for (var k = 0; k < classes; k++)
        {
            var row = weights[k].DenseValues().ToArray();
            for (var f = 0; f < width; f++)
            {
                dense[(f * classes) + k] = row[f];
            }
        }

        (chars, words) = Share(chars, words, sameVocabulary);
        return new LinearNgramScorer(chars, words, slots.Length, classes, dense, [.. parameters.GetBiases()]);
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is TransformerChain<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    /// <summary>
    /// The model's probabilities for <paramref name="normalizedText"/> (already through <see cref="PromptTextNormalizer"/>),
    /// written to <paramref name="probabilities"/>; <paramref name="embedding"/> only for a tier that reads one.
    /// </summary>
    public void Score(string normalizedText, ReadOnlySpan<float> embedding, Span<float> probabilities)
    {
        var scratch = t_scratch ??= new Scratch();
        Span<double> logits = stackalloc double[_classes];
        for (var k = 0; k < _classes; k++)
        {
            logits[k] = _biases[k];
        }

        if (!scratch.Holds(_chars, normalizedText))
        {
            scratch.Forget();
            CharNgrams(normalizedText, scratch.CharHits);
            WordNgrams(normalizedText, scratch);
            scratch.Remember(_chars, normalizedText);
        }

        AddBag(scratch.CharHits, scratch, logits);
        AddBag(scratch.WordHits, scratch, logits);
        if (!embedding.IsEmpty)
        {
            for (var d = 0; d < embedding.Length; d++)
            {
                var row = _weights.AsSpan((_ngramSlots + d) * _classes, _classes);
                for (var k = 0; k < _classes; k++)
                {
                    logits[k] += row[k] * embedding[d];
                }
            }
        }

        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var sum = 0.0;
        for (var k = 0; k < _classes; k++)
        {
            logits[k] = Math.Exp(logits[k] - max);
            sum += logits[k];
        }

        for (var k = 0; k < _classes; k++)
        {
            probabilities[k] = (float)(logits[k] / sum);
        }
    }

    /// <summary>Collects the slots of the text's character 4-grams (with ML.NET's start and end markers) into <paramref name="hits"/>.</summary>
    private void CharNgrams(string text, List<int> hits)
    {
        hits.Clear();
        var length = text.Length + 2;
        ulong gram = 0;
        for (var j = 0; j < length; j++)
        {
            var c = j == 0 ? StartMarker : j == length - 1 ? EndMarker : text[j - 1];
            gram = (gram << 16) | c;
            if (j >= 3 && _chars.TryGetValue(Spread(gram), out var slot))
            {
                hits.Add(slot);
            }
        }
    }

    /// <summary>
    /// A character 4-gram as the dictionary's key. A gram packs four UTF-16 units into 64 bits, and a <see cref="ulong"/>'s hash
    /// code is its two halves XORed: for text of letters that leaves some 14 bits of hash for tens of thousands of grams, and
    /// the lookups walked long collision chains (the largest single cost of scoring a prompt under load). Multiplying by an
    /// odd constant is a bijection on 64 bits (no two grams share a key) that spreads every unit over the high half.
    /// </summary>
    private static ulong Spread(ulong gram) => gram * 0x9E3779B97F4A7C15UL;

    /// <summary>Collects the slots of the text's words and word pairs (words are separated by single spaces after normalisation).</summary>
    private void WordNgrams(string text, Scratch scratch)
    {
        var hits = scratch.WordHits;
        hits.Clear();
        var span = text.AsSpan();
        var previousStart = -1;
        var previousLength = 0;
        var start = 0;
        while (start < span.Length)
        {
            if (span[start] == ' ')
            {
                start++;
                continue;
            }

            var end = span[start..].IndexOf(' ');
            var wordLength = end < 0 ? span.Length - start : end;
            if (_words.TryGetValue(span.Slice(start, wordLength), out var slot))
            {
                hits.Add(slot);
            }

            if (previousStart >= 0)
            {
                var pairLength = previousLength + 1 + wordLength;
                var pair = scratch.Pair(pairLength);
                span.Slice(previousStart, previousLength).CopyTo(pair);
                pair[previousLength] = '|';
                span.Slice(start, wordLength).CopyTo(pair[(previousLength + 1)..]);
                if (_words.TryGetValue(pair[..pairLength], out var pairSlot))
                {
                    hits.Add(pairSlot);
                }
            }

            previousStart = start;
            previousLength = wordLength;
            start += wordLength;
        }
    }

    /// <summary>Adds the L2-normalised term-frequency bag of <paramref name="hits"/>, times the weights, to the logits.</summary>
    private void AddBag(List<int> hits, Scratch scratch, Span<double> logits)
    {
        if (hits.Count == 0)
        {
            return;
        }

        var counts = scratch.Counts(_ngramSlots);
        var sumOfSquares = 0.0;
        foreach (var slot in hits)
        {
            // (c + 1)² − c² = 2c + 1: the squared norm of the counts, grown one hit at a time.
            sumOfSquares += (2 * counts[slot]) + 1;
            counts[slot]++;
        }

        var inverseNorm = 1 / Math.Sqrt(sumOfSquares);
        foreach (var slot in hits)
        {
            if (counts[slot] == 0)
            {
                continue; // already added with its full count
            }

            var row = _weights.AsSpan(slot * _classes, _classes);
            var value = counts[slot] * inverseNorm;
            for (var k = 0; k < _classes; k++)
            {
                logits[k] += row[k] * value;
            }

            counts[slot] = 0;
        }
    }
}
