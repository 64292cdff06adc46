using System.Globalization;
using System.Text;

namespace Router.Classifier.Embedding;

/// <summary>
/// BERT's uncased word-piece tokenizer over the encoder's own vocabulary: accents stripped, punctuation and CJK
/// characters split off, then greedy longest-match pieces with the <c>##</c> continuation prefix. Written here
/// rather than borrowed from the encoder's package because that one is slow on long text, and the static
/// embedding reads every word of a prompt.
/// </summary>
public sealed class WordPieceTokenizer
{
    private const int MaxWordLength = 100;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordPieceTokenizer(IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _ids = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Count; i++)
        {
            _ids.TryAdd(vocabulary[i], i);
        }

        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        Unknown = _ids.GetValueOrDefault("[UNK]", 0);
    }

    public int VocabularySize => _ids.Count;

    public int Unknown { get; }

    /// <summary>Appends the word-piece ids of <paramref name="text"/> to <paramref name="ids"/>, at most <paramref name="limit"/> in all.</summary>
    public void Tokenize(string text, List<int> ids, int limit = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (ids.Count >= limit)
            {
                return;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.Control || category == UnicodeCategory.Format)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                Flush(word, ids);
            }
            else if (IsPunctuation(c, category) || IsCjk(c))
            {
                Flush(word, ids);
                word.Append(c);
                Flush(word, ids);
            }
            else
            {
                word.Append(char.ToLowerInvariant(c));
            }
        }

        Flush(word, ids);
        if (ids.Count > limit)
        {
            ids.RemoveRange(limit, ids.Count - limit);
        }
    }

    private void Flush(StringBuilder word, List<int> ids)
    {
        if (word.Length == 0)
        {
            return;
        }

        if (word.Length > MaxWordLength)
        {
            ids.Add(Unknown);
            word.Clear();
            return;
        }

        Span<char> buffer = stackalloc char[MaxWordLength + 2];
        var text = word.ToString().AsSpan();
        var start = 0;
        var first = ids.Count;
        while (start < text.Length)
        {
            var end = text.Length;
            var found = -1;
            while (end > start)
            {
                var length = 0;
                if (start > 0)
                {
                    buffer[0] = '#';
                    buffer[1] = '#';
                    length = 2;
                }

                text[start..end].CopyTo(buffer[length..]);
                length += end - start;
                if (_lookup.TryGetValue(buffer[..length], out var id))
                {
                    found = id;
                    break;
                }

                end--;
            }

            if (found < 0)
            {
                // BERT's rule: a word with an unknown piece becomes a single [UNK].
                ids.RemoveRange(first, ids.Count - first);
                ids.Add(Unknown);
                break;
            }

            ids.Add(found);
            start = end;
        }

        word.Clear();
    }

    private static bool IsPunctuation(char c, UnicodeCategory category) =>
        (c is >= '!' and <= '/') || (c is >= ':' and <= '@') || (c is >= '[' and <= '`') || (c is >= '{' and <= '~')
        || category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;

    private static bool IsCjk(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\u3040' and <= '\u30FF');
}
