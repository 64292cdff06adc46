namespace Router.Classifier.Conversations;

/// <summary>
/// Recognises a message that opens by announcing a change of topic ("By the way, …", "Andere Frage: …", "另外，…").
/// The user has said the message is not a follow-up, so <see cref="ConversationRouting"/> lets it take its own
/// decision without the confidence a silent change needs (the follow-up detector is still asked). Openers that
/// also begin follow-ups ("also", "and", "anyway", "ついでに") are left out; so are those that do only when no
/// punctuation follows ("another thing" counts only as "another thing:" or "another thing,"). An opener may come
/// after a short lead-in of one or two words and a comma or colon ("Also, unrelated: …", "Sinon, rien à voir : …",
/// "Oh, by the way, …"), after a short thanks or acknowledgement ("Thanks! By the way, …", "Merci ! Au fait, …", "ありがとう！ところで…"),
/// or after one or two throat-clearing words without one when punctuation follows the opener ("oh btw, …",
/// "Und jetzt was ganz anderes: …"): people often clear their throat, or thank, before changing the subject.
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
        "on an unrelated note", "side question", "separate question", "different subject", "new subject",
        "apropos", "nebenbei gefragt", "nebenbei bemerkt", "zu etwas anderem", "themenwechsel",
        "changeons de sujet", "autre sujet", "otro tema", "hablando de otra cosa", "a todo esto", "outro assunto", "nada a ver",
        "算了不说了", "不说这个了", "说个别的", "聊点别的", "问个别的", "跟这个无关",
        "別件ですが", "別件で", "全く別の話", "話を変えて", "話は変わって", "違う質問", "気分転換に",
    ];

    // Each counts only when a colon, comma or dash follows, because bare they also start follow-ups.
    private static readonly string[] WithPunctuation =
    [
        "another thing", "something else", "new request", "different request", "random thought",
        "andere sache", "andere aufgabe", "noch etwas anderes", "noch was", "noch eine frage", "noch eine sache",
        "autre chose", "à propos", "otra cosa", "outra coisa", "aliás",
        "quick question", "moving on", "kurze frage", "petite question", "pregunta rápida", "pergunta rápida", "对了",
    ];

    // Words that may stand before an opener without a comma, when punctuation follows the opener ("Oh btw, …", "Und jetzt
    // was ganz anderes: …"). A short list, not any word, and the punctuation is required: "is this unrelated to …?" and
    // "also unrelated to the bug, …" are follow-ups.
    private static readonly string[] BareLeadIns =
    [
        "oh", "ok", "okay", "hey", "and", "so", "also", "now", "well", "right", "alright", "quick", "totally", "completely",
        "und", "jetzt", "nun", "mal", "et", "maintenant", "bon", "y", "ahora", "bueno", "e", "agora", "bem",
    ];

    /// <summary>True when <paramref name="message"/> opens with an announcement that the topic changes.</summary>
    public static bool Opens(string message) => TryStrip(message, out _);

    /// <summary>
    /// True when <paramref name="message"/> opens with an announcement that the topic changes; <paramref name="content"/> is
    /// then what follows it — the message without its lead-in, the opener and the punctuation after them — and the message
    /// itself otherwise. The announcement is not content: "对了，" or "Aliás," pull a classification towards conversation or
    /// knowledge, so <see cref="ConversationRouting"/> classifies what follows. When nothing follows the opener, the content
    /// is the whole message.
    /// </summary>
    public static bool TryStrip(string message, out string content)
    {
        ArgumentNullException.ThrowIfNull(message);
        content = message;
        var text = message.AsSpan().TrimStart(" \t\r\n\"'«“„(*-".AsSpan());
        if (OpensHere(text, out var rest)
            || (AfterLeadIn(text) is { IsEmpty: false } afterLeadIn && (OpensHere(afterLeadIn, out rest) || OpensAfterBareLeadIn(afterLeadIn, out rest)))
            || OpensAfterBareLeadIn(text, out rest))
        {
            var stripped = rest.TrimStart(Separators.AsSpan());
            if (ColonWithinTwoWords(stripped) is var colon and > 0)
            {
                stripped = stripped[(colon + 1)..].TrimStart(Separators.AsSpan()); // "Apropos Eis: Wie viele …", "unrelated one: …"
            }

            foreach (var word in Connectives)
            {
                if (stripped.StartsWith(word.AsSpan(), StringComparison.OrdinalIgnoreCase) && stripped.Length > word.Length
                    && !char.IsLetterOrDigit(stripped[word.Length]))
                {
                    stripped = stripped[word.Length..].TrimStart(Separators.AsSpan());
                    break;
                }
            }

            if (!stripped.IsEmpty) content = stripped.ToString();
            return true;
        }

        return false;
    }

    // What may stand between an opener and its content: punctuation, and a "but" ("unrelated, but what year …").
    private const string Separators = " \t\r\n,:;.!?—–-，：、。！？…";

    private static readonly string[] Connectives = ["but", "aber", "mais", "pero", "mas"];

    private static bool OpensHere(ReadOnlySpan<char> text, out ReadOnlySpan<char> rest)
    {
        foreach (var opener in AlwaysByFirst.For(text))
        {
            if (StartsWith(text, opener, out rest) && (rest.IsEmpty || !char.IsLetterOrDigit(rest[0]) || IsCjk(opener)))
            {
                return true;
            }
        }

        foreach (var opener in WithPunctuationByFirst.For(text))
        {
            if (StartsWith(text, opener, out rest) && rest.TrimStart(' ') is [':' or ',' or '—' or '–' or '-' or '：' or '，', ..])
            {
                return true;
            }
        }

        rest = default;
        return false;
    }

    private static bool OpensAfterBareLeadIn(ReadOnlySpan<char> text, out ReadOnlySpan<char> rest)
    {
        for (var words = 0; words < 2; words++)
        {
            var space = text.IndexOf(' ');
            if (space <= 0 || !IsBareLeadIn(text[..space])) break;
            text = text[(space + 1)..].TrimStart(' ');
            if (OpensHere(text, out rest) && rest.TrimStart(' ') is [':' or ',' or '—' or '–' or '-' or '：' or '，', ..]) return true;
        }

        rest = default;
        return false;
    }

    private static bool IsBareLeadIn(ReadOnlySpan<char> word)
    {
        foreach (var leadIn in BareLeadInsByFirst.For(word))
        {
            if (word.Equals(leadIn.AsSpan(), StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    // Where a colon ends the first one or two words after an opener (a topic named before the question: "Apropos Eis:"),
    // or -1.
    private static int ColonWithinTwoWords(ReadOnlySpan<char> text)
    {
        var spaces = 0;
        for (var i = 0; i < text.Length && i < 40; i++)
        {
            if (text[i] is ':' or '：') return i;
            if (text[i] == ' ' && ++spaces == 2) return -1;
            if (!char.IsLetterOrDigit(text[i]) && text[i] != ' ' && text[i] != '-') return -1;
        }

        return -1;
    }

    // One or two words of letters followed by a comma or colon ("also,", "ok so,", "sinon,", "嗯，"), or a thanks or
    // acknowledgement ended by a full stop or an exclamation mark ("thanks!", "Merci !", "got it.", "ありがとうございます！"): what
    // is after it, or empty when the message does not open that way. Longer openings are content, not throat-clearing.
    private static ReadOnlySpan<char> AfterLeadIn(ReadOnlySpan<char> text)
    {
        if (AfterAcknowledgement(text) is { IsEmpty: false } afterThanks)
        {
            return afterThanks;
        }

        var words = 0;
        var i = 0;
        while (i < text.Length && words < 2)
        {
            var start = i;
            while (i < text.Length && char.IsLetter(text[i]) && i - start < MaxLeadInWordLength) i++;
            if (i == start) return default;
            words++;
            if (i + 1 < text.Length && text[i] == ' ' && text[i + 1] == ':')
            {
                i++; // French spacing: "Sinon, rien à voir : …"
            }

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

    // Thanks and acknowledgements that may end with a full stop or an exclamation mark before an opener ("Thanks! By the way,
    // …"). A list, not any short sentence: "No. By the way, I meant the second one" is a correction that leans on the answer.
    private static readonly string[] Acknowledgements =
    [
        "thanks", "thank you", "thx", "ty", "cheers", "great", "perfect", "ok", "okay", "cool", "nice", "awesome", "got it",
        "danke", "danke schön", "dankeschön", "super", "perfekt", "prima", "merci", "merci beaucoup", "parfait", "génial",
        "gracias", "perfecto", "genial", "vale", "obrigado", "obrigada", "valeu", "perfeito", "beleza",
        "谢谢", "多谢", "好的", "好嘞", "好吧", "好", "行", "嗯", "明白了", "收到", "ありがとう", "ありがとうございます", "どうも", "了解",
        "なるほど", "わかった", "オッケー",
    ];

    // What follows an acknowledgement and its full stop or exclamation mark (French spacing allowed: "Merci ! …"), or empty.
    private static ReadOnlySpan<char> AfterAcknowledgement(ReadOnlySpan<char> text)
    {
        foreach (var word in AcknowledgementsByFirst.For(text))
        {
            if (text.StartsWith(word.AsSpan(), StringComparison.OrdinalIgnoreCase)
                && text[word.Length..].TrimStart(' ') is ['!' or '.' or '！' or '。', ..] rest)
            {
                return rest.TrimStart(" !.！。".AsSpan());
            }
        }

        return default;
    }

    private static readonly ByFirstCharacter AlwaysByFirst = new(Always);
    private static readonly ByFirstCharacter WithPunctuationByFirst = new(WithPunctuation);
    private static readonly ByFirstCharacter BareLeadInsByFirst = new(BareLeadIns);
    private static readonly ByFirstCharacter AcknowledgementsByFirst = new(Acknowledgements);

    /// <summary>
    /// A list of words grouped by the ASCII character a text must start with to begin with one of them (compared as
    /// <see cref="StringComparison.OrdinalIgnoreCase"/> compares), each group in the list's order: a message is checked
    /// against the words of its first character only instead of the whole list on every turn of every request. A text that
    /// starts with any other character is checked against the whole list.
    /// </summary>
    private sealed class ByFirstCharacter
    {
        private readonly string[] _all;
        private readonly string[][] _byAscii = new string[128][];

        public ByFirstCharacter(string[] all)
        {
            _all = all;
            for (var c = 0; c < _byAscii.Length; c++)
            {
                var first = ((char)c).ToString();
                _byAscii[c] = [.. all.Where(w => string.Equals(w[..1], first, StringComparison.OrdinalIgnoreCase))];
            }
        }

        public string[] For(ReadOnlySpan<char> text) => text.IsEmpty ? [] : text[0] < _byAscii.Length ? _byAscii[text[0]] : _all;
    }

    private static bool StartsWith(ReadOnlySpan<char> text, string opener, out ReadOnlySpan<char> rest)
    {
        var match = text.StartsWith(opener.AsSpan(), StringComparison.OrdinalIgnoreCase);
        rest = match ? text[opener.Length..] : default;
        return match;
    }

    // Chinese and Japanese do not separate words, so what follows an opener there may be any character.
    private static bool IsCjk(string opener) => opener[0] >= '\u3000';
}
