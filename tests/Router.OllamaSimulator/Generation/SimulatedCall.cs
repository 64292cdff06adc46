namespace Router.OllamaSimulator.Generation;

/// <summary>What a parsed request asks the generation loop for, whichever API it came through.</summary>
/// <param name="DirectiveText">The last user message (chat) or the prompt (generate): where directives are read.</param>
/// <param name="PromptEvalCount">Words in every message, reported as the prompt's token count.</param>
/// <param name="Content">Everything else the request carried, for the journal and for choosing the answer.</param>
internal sealed record SimulatedCall(
    SimulatedEndpoint Endpoint,
    string? Model,
    string? DirectiveText,
    bool Stream,
    int PromptEvalCount,
    SimulatedParameters Parameters,
    string? ApiKey = null,
    SimulatedRequestContent? Content = null)
{
    public SimulatedRequestContent RequestContent => Content ?? SimulatedRequestContent.Empty;

    public static int CountWords(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                count++;
            }

            inWord = !isSpace;
        }

        return count;
    }
}
