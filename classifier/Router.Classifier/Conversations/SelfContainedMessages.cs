namespace Router.Classifier.Conversations;

/// <summary>
/// The surface signs that a message stands on its own, which <see cref="ConversationSwitch"/> weighs with the follow-up
/// detector: it is long enough to carry its own request, and it does not open with a word that ties it to what came before
/// ("and …", "no, I meant …", "e à noite …", "那…"). Long, complete requests are rarely follow-ups, but the category model
/// is often less than 0.9 sure of them (a question in Portuguese, a code request in a few plain words).
/// </summary>
public static class SelfContainedMessages
{
    /// <summary>Words a message needs before it can count as self-contained (see <see cref="Words"/>).</summary>
    public const int MinWords = 6;

    // First words that hand a message to the previous turn: conjunctions and corrections. Each counts when a word boundary
    // follows; the Chinese and Japanese ones at the very start.
    private static readonly string[] Leaning =
    [
        "and", "but", "so", "or", "then", "no", "nope", "what about", "how about", "i meant",
        "und", "aber", "oder", "dann", "nein", "et", "mais", "ou", "alors", "non",
        "y", "pero", "o", "entonces", "e", "mas", "então", "não",
    ];

    private static readonly string[] LeaningCjk = ["那", "还有", "不是", "じゃあ", "では", "それで", "でも", "いや"];

    /// <summary>True when <paramref name="message"/> is long enough and does not open by leaning on the previous turn.</summary>
    public static bool Looks(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Words(message) >= MinWords && !LeansOnPrevious(message);
    }

    /// <summary>
    /// The message's length in words: each run between spaces that holds a letter or digit outside Chinese and Japanese
    /// script, plus one word for every two Chinese or Japanese characters (which are written without spaces).
    /// </summary>
    public static double Words(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var words = 0;
        var cjk = 0;
        var inWord = false;
        var counted = false;
        foreach (var c in message)
        {
            if (char.IsWhiteSpace(c))
            {
                inWord = false;
                continue;
            }

            if (!inWord)
            {
                inWord = true;
                counted = false;
            }

            if (IsCjk(c))
            {
                cjk++;
            }
            else if (!counted && char.IsLetterOrDigit(c))
            {
                words++;
                counted = true;
            }
        }

        return words + cjk / 2.0;
    }

    /// <summary>True when the message opens with a conjunction or a correction that ties it to the previous turn.</summary>
    public static bool LeansOnPrevious(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.AsSpan().TrimStart(" \t\r\n\"'«“„(*-".AsSpan());
        foreach (var word in Leaning)
        {
            if (text.StartsWith(word.AsSpan(), StringComparison.OrdinalIgnoreCase)
                && (text.Length == word.Length || !char.IsLetterOrDigit(text[word.Length])))
            {
                return true;
            }
        }

        foreach (var word in LeaningCjk)
        {
            if (text.StartsWith(word.AsSpan(), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30ff' or >= '\u3400' and <= '\u4dbf' or >= '\u4e00' and <= '\u9fff';
}
