using System.Globalization;
using System.Text;

namespace Router.Classifier.Training;

/// <summary>
/// The one place where a message becomes model input, for training and prediction alike.
/// Lower-cases, separates punctuation and symbols from words (so <c>foo()</c> and <c>foo</c> share a word
/// feature while <c>(</c> still counts), collapses whitespace and keeps only the head and tail of long
/// messages: the instruction is almost always at one end of a pasted text, and a bounded length keeps
/// featurisation time flat.
/// </summary>
public static class PromptTextNormalizer
{
    /// <summary>Characters kept from the start of a long message.</summary>
    public const int HeadLength = 1200;

    /// <summary>Characters kept from the end of a long message.</summary>
    public const int TailLength = 400;

    public static string Normalize(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var text = message.Length > HeadLength + TailLength
            ? string.Concat(message.AsSpan(0, HeadLength), " \u2026 ", message.AsSpan(message.Length - TailLength))
            : message;

        var builder = new StringBuilder(text.Length + (text.Length / 4));
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || category == UnicodeCategory.Format)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (IsSymbol(category))
            {
                AppendSeparated(builder, Rune.ToLowerInvariant(rune));
                pendingSpace = false;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            Append(builder, Rune.ToLowerInvariant(rune));
        }

        return builder.ToString().TrimEnd();
    }

    private static void AppendSeparated(StringBuilder builder, Rune rune)
    {
        if (builder.Length > 0 && builder[^1] != ' ')
        {
            builder.Append(' ');
        }

        Append(builder, rune);
        builder.Append(' ');
    }

    // Appends the rune's UTF-16 code units without the string a Rune.ToString() would allocate for each character.
    private static void Append(StringBuilder builder, Rune rune)
    {
        if (rune.IsBmp)
        {
            builder.Append((char)rune.Value);
            return;
        }

        Span<char> pair = stackalloc char[2];
        builder.Append(pair[..rune.EncodeToUtf16(pair)]);
    }

    private static bool IsSymbol(UnicodeCategory category) => category switch
    {
        UnicodeCategory.ConnectorPunctuation => false, // snake_case identifiers stay whole
        UnicodeCategory.DashPunctuation => false, // keeps "well-known", "-rf", "e-mail" intact
        UnicodeCategory.OtherPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
            or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };
}
