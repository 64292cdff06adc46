namespace Router.Classifier.Conversations;

/// <summary>
/// Recognises a message that opens by announcing a change of topic ("By the way, …", "Andere Frage: …", "另外，…").
/// The user has said the message is not a follow-up, so <see cref="ConversationRouting"/> lets it take its own
/// decision without the confidence a silent change needs (the follow-up detector is still asked). Openers that
/// also begin follow-ups ("also", "and", "anyway", "ついでに") are left out; so are those that do only when no
/// punctuation follows ("another thing" counts only as "another thing:" or "another thing,"). An opener may come
/// after a short lead-in of one or two words and a comma or colon ("Also, unrelated: …", "Sinon, rien à voir : …",
/// "Oh, by the way, …"): people often clear their throat before changing the subject.
/// </summary>
public static class TopicChangeOpeners
{
    // Each counts when the message starts with it and a word boundary follows.
    private static readonly string[] Always =
    [
        "by the way", "btw", "another question", "different question", "new question", "unrelated", "random question",
        "changing the subject", "changing topic", "changing topics", "change of topic", "change of subject", "different topic",
        "new topic", "switching topics", "switching gears", "on another note", "on a different note", "off topic", "off-topic",
        "übrigens", "andere frage", "ganz andere frage", "anderes thema", "neues thema", "themawechsel", "mal was anderes",
        "ganz was anderes", "was ganz anderes", "etwas ganz anderes", "ganz anderes thema", "tout autre chose",
        "au fait", "autre question", "changement de sujet", "nouvelle question", "rien à voir", "sans rapport",
        "por cierto", "otra pregunta", "cambiando de tema", "cambio de tema", "nueva pregunta", "a propósito",
        "mudando de assunto", "outra pergunta", "nova pergunta", "por falar nisso",
        "另外", "顺便问一下", "顺便问", "顺便说一下", "换个话题", "换个问题", "另一个问题", "题外话", "话说", "别的问题", "说点别的",
        "ところで", "話は変わりますが", "話は変わるけど", "話が変わりますが", "別の質問", "別の話ですが", "関係ないけど", "全然関係ないけど", "話変わるけど", "それはそうと",
    ];

    // Each counts only when a colon, comma or dash follows, because bare they also start follow-ups.
    private static readonly string[] WithPunctuation =
    [
        "another thing", "something else", "new request", "different request", "random thought",
        "andere sache", "andere aufgabe", "noch etwas anderes", "noch was", "noch eine frage", "noch eine sache",
        "autre chose", "à propos", "otra cosa", "outra coisa", "aliás",
    ];

    /// <summary>True when <paramref name="message"/> opens with an announcement that the topic changes.</summary>
    public static bool Opens(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.AsSpan().TrimStart(" \t\r\n\"'«“„(*-".AsSpan());
        return OpensHere(text) || (AfterLeadIn(text) is { IsEmpty: false } rest && OpensHere(rest));
    }

    private static bool OpensHere(ReadOnlySpan<char> text)
    {
        foreach (var opener in Always)
        {
            if (StartsWith(text, opener, out var rest) && (rest.IsEmpty || !char.IsLetterOrDigit(rest[0]) || IsCjk(opener)))
            {
                return true;
            }
        }

        foreach (var opener in WithPunctuation)
        {
            if (StartsWith(text, opener, out var rest) && rest.TrimStart(' ') is [':' or ',' or '—' or '–' or '-' or '：' or '，', ..])
            {
                return true;
            }
        }

        return false;
    }

    // One or two words of letters followed by a comma or colon ("also,", "ok so,", "sinon,", "嗯，"): what is after it,
    // or empty when the message does not open that way. Longer openings are content, not throat-clearing.
    private static ReadOnlySpan<char> AfterLeadIn(ReadOnlySpan<char> text)
    {
        var words = 0;
        var i = 0;
        while (i < text.Length && words < 2)
        {
            var start = i;
            while (i < text.Length && char.IsLetter(text[i]) && i - start < MaxLeadInWordLength) i++;
            if (i == start) return default;
            words++;
            if (i < text.Length && text[i] is ',' or ':' or '，' or '、' or '：')
            {
                return text[(i + 1)..].TrimStart(' ');
            }

            if (i >= text.Length || text[i] != ' ') return default;
            i++;
        }

        return default;
    }

    private const int MaxLeadInWordLength = 8;

    private static bool StartsWith(ReadOnlySpan<char> text, string opener, out ReadOnlySpan<char> rest)
    {
        var match = text.StartsWith(opener.AsSpan(), StringComparison.OrdinalIgnoreCase);
        rest = match ? text[opener.Length..] : default;
        return match;
    }

    // Chinese and Japanese do not separate words, so what follows an opener there may be any character.
    private static bool IsCjk(string opener) => opener[0] >= '\u3000';
}
