namespace Router.Classifier.Embedding;

/// <summary>
/// An embedder that remembers, on each thread, the last text it embedded and its vector, and answers that text
/// again from memory. The category model's second tier and the follow-up detector embed the same normalised
/// message one after the other when a conversation's new turn is both uncertain and of another category; they
/// share one embedding through this instead of computing it twice. The vector is the inner embedder's, unchanged;
/// every caller gets a vector of its own (the memo keeps a copy), since callers weight their vector in place.
/// </summary>
internal sealed class RecentEmbedding(IPromptEmbedder inner) : IPromptEmbedder
{
    // One entry per thread: a classification and the follow-up question of the same request run on one thread
    // without awaiting in between, and a thread-static memo needs no lock. The owner check keeps two models apart; it
    // is a number, not a reference, so a thread's memo does not keep a disposed model's embedder alive.
    [ThreadStatic]
    private static Memo? t_last;

    private static long s_instances;

    private readonly long _id = Interlocked.Increment(ref s_instances);

    public int Dimensions => inner.Dimensions;

    public float[] Embed(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var last = t_last ??= new Memo();
        if (last.Owner == _id && string.Equals(last.Text, normalizedText, StringComparison.Ordinal))
        {
            return (float[])last.Vector.Clone();
        }

        var vector = inner.Embed(normalizedText);
        last.Remember(_id, normalizedText, vector);
        return vector;
    }

    public float[][] EmbedMany(IReadOnlyList<string> normalizedTexts) => inner.EmbedMany(normalizedTexts);

    public void Dispose() => inner.Dispose();

    /// <summary>A thread's last embedding: its own copy, reused from call to call, so remembering allocates nothing.</summary>
    private sealed class Memo
    {
        public long Owner { get; private set; }

        public string? Text { get; private set; }

        public float[] Vector { get; private set; } = [];

        public void Remember(long owner, string text, float[] vector)
        {
            if (Vector.Length != vector.Length)
            {
                Vector = new float[vector.Length];
            }

            vector.CopyTo(Vector, 0);
            (Owner, Text) = (owner, text);
        }
    }
}
