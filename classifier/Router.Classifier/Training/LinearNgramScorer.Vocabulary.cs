namespace Router.Classifier.Training;

/// <summary>Dictionaries shared between scorers trained on the same n-grams.</summary>
internal sealed partial class LinearNgramScorer
{
    /// <summary>
    /// <paramref name="sameVocabulary"/>'s dictionaries when they map every n-gram to the same slot as
    /// <paramref name="chars"/> and <paramref name="words"/> (the category model's two tiers are trained on the same rows
    /// and featurised alike), else the given ones. Scorers that share them share each thread's last hits too.
    /// </summary>
    private static (Dictionary<ulong, int> Chars, Dictionary<string, int> Words) Share(
        Dictionary<ulong, int> chars, Dictionary<string, int> words, LinearNgramScorer? sameVocabulary)
    {
        if (sameVocabulary is null)
        {
            return (chars, words);
        }

        var theirWords = sameVocabulary._words.Dictionary;
        if (chars.Count != sameVocabulary._chars.Count || words.Count != theirWords.Count)
        {
            return (chars, words);
        }

        foreach (var (gram, slot) in chars)
        {
            if (!sameVocabulary._chars.TryGetValue(gram, out var theirs) || theirs != slot)
            {
                return (chars, words);
            }
        }

        foreach (var (word, slot) in words)
        {
            if (!theirWords.TryGetValue(word, out var theirs) || theirs != slot)
            {
                return (chars, words);
            }
        }

        return (sameVocabulary._chars, theirWords);
    }

    /// <summary>True when this scorer reads <paramref name="other"/>'s dictionaries (and so reuses its hits).</summary>
    internal bool SharesVocabularyWith(LinearNgramScorer other) => ReferenceEquals(_chars, other._chars);
}
