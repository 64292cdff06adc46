using System.Text;
using System.Text.Json;

namespace Router.OllamaSimulator;

/// <summary>
/// The deterministic token sequence every answer is made of: token <c>i</c> is word <c>i mod 50</c> of a
/// fixed list followed by one space. An answer of N tokens is always the first N tokens, so a test can
/// compute exactly what a client should have received.
/// </summary>
public static class SimulatedText
{
    private static readonly string[] Words =
    [
        "The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "while",
        "a", "gentle", "breeze", "moves", "through", "tall", "green", "grass", "near", "an",
        "old", "stone", "bridge", "where", "children", "often", "play", "after", "school", "and",
        "birds", "sing", "their", "evening", "songs", "before", "night", "falls", "over", "quiet",
        "hills", "beyond", "river", "valley", "under", "bright", "silver", "stars", "shining", "softly",
    ];

    private static readonly string[] ThinkingWords =
    [
        "Let", "me", "think", "about", "what", "is", "asked", "here", "and", "plan",
        "a", "short", "clear", "answer", "before", "writing", "it", "down", "step", "by",
    ];

    private static readonly string[] TokenStrings = Array.ConvertAll(Words, w => w + " ");

    private static readonly string[] ThinkingStrings = Array.ConvertAll(ThinkingWords, w => w + " ");

    // Encoded once so the streaming loop never escapes or allocates per token.
    private static readonly JsonEncodedText[] EncodedTokens = Array.ConvertAll(TokenStrings, t => JsonEncodedText.Encode(t));

    /// <summary>Number of distinct tokens before the sequence repeats.</summary>
    public static int CycleLength => TokenStrings.Length;

    /// <summary>The token at position <paramref name="index"/> (0-based) of every answer.</summary>
    public static string Token(int index) => TokenStrings[index % TokenStrings.Length];

    /// <summary>The exact token sequence an answer of <paramref name="count"/> tokens produces.</summary>
    public static IReadOnlyList<string> Tokens(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            tokens[i] = Token(i);
        }

        return tokens;
    }

    /// <summary>The concatenation of the first <paramref name="count"/> tokens.</summary>
    public static string Text(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var builder = new StringBuilder(count * 8);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Token(i));
        }

        return builder.ToString();
    }

    /// <summary>The thinking token at position <paramref name="index"/>: a thinking answer's reasoning, from its own word list.</summary>
    public static string ThinkingToken(int index) => ThinkingStrings[index % ThinkingStrings.Length];

    /// <summary>The reasoning text a thinking answer of <paramref name="count"/> thinking tokens sends before its content.</summary>
    public static string Thinking(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var builder = new StringBuilder(count * 8);
        for (var i = 0; i < count; i++)
        {
            builder.Append(ThinkingToken(i));
        }

        return builder.ToString();
    }

    internal static JsonEncodedText EncodedToken(int index) => EncodedTokens[index % EncodedTokens.Length];
}
