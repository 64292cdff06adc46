using System.Text.RegularExpressions;

namespace Router.Classifier.Data;

/// <summary>
/// Whether two prompts are close enough that one leaks the other's answer: the same text (ignoring case and surrounding
/// space), a word-set Jaccard of 0.75 or more for texts of three words or more, or, for Chinese and Japanese (no spaces
/// between words), a Jaccard of 0.5 or more over character pairs (the same sentence with one noun swapped). The hygiene
/// tests of the conversation sets and <see cref="Conversations.ConversationTrainingTurns"/> measure with it.
/// </summary>
public sealed partial class NearDuplicates
{
    private readonly List<Entry> _texts = [];
    private readonly Dictionary<string, List<int>> _byWord = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byBigram = new(StringComparer.Ordinal);

    /// <summary>A measure against <paramref name="texts"/>.</summary>
    public NearDuplicates(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var text in texts) Add(text);
    }

    /// <summary>Adds <paramref name="text"/> to what later texts are compared with.</summary>
    public void Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entry = Entry.Of(text);
        var index = _texts.Count;
        _texts.Add(entry);
        foreach (var word in entry.Words) Index(_byWord, word, index);
        if (entry.Cjk)
        {
            foreach (var pair in entry.Bigrams) Index(_byBigram, pair, index);
        }
    }

    /// <summary>The texts <paramref name="text"/> nearly duplicates, each once.</summary>
    public IEnumerable<string> Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entry = Entry.Of(text);
        // Only texts that share a word or a character pair can be near; the index keeps the comparison off the rest.
        var candidates = new HashSet<int>();
        foreach (var word in entry.Words)
        {
            if (_byWord.TryGetValue(word, out var ids)) candidates.UnionWith(ids);
        }

        if (entry.Cjk)
        {
            foreach (var pair in entry.Bigrams)
            {
                if (_byBigram.TryGetValue(pair, out var ids)) candidates.UnionWith(ids);
            }
        }

        foreach (var id in candidates.Order())
        {
            var other = _texts[id];
            if (string.Equals(other.Trimmed, entry.Trimmed, StringComparison.OrdinalIgnoreCase)
                || (entry.Words.Count >= 3 && Jaccard(entry.Words, other.Words) >= 0.75)
                || (entry.Cjk && Jaccard(entry.Bigrams, other.Bigrams) >= 0.5))
            {
                yield return other.Text;
            }
        }
    }

    private static void Index(Dictionary<string, List<int>> index, string key, int id)
    {
        if (!index.TryGetValue(key, out var ids)) index[key] = ids = [];
        if (ids.Count == 0 || ids[^1] != id) ids.Add(id);
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count + b.Count == 0) return 0;
        var shared = a.Count(b.Contains);
        return shared / (double)(a.Count + b.Count - shared);
    }

    private sealed record Entry(string Text, HashSet<string> Words, HashSet<string> Bigrams, bool Cjk)
    {
        public string Trimmed { get; } = Text.Trim();

        public static Entry Of(string text)
        {
            var lower = text.ToLowerInvariant();
            var squeezed = string.Concat(lower.Where(c => !char.IsWhiteSpace(c)));
            var bigrams = Enumerable.Range(0, Math.Max(0, squeezed.Length - 1)).Select(i => squeezed.Substring(i, 2)).ToHashSet(StringComparer.Ordinal);
            var cjk = text.Any(c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff');
            return new Entry(text, [.. WordPattern().Matches(lower).Select(m => m.Value)], bigrams, cjk);
        }
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();
}
