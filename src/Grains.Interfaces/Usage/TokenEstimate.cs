namespace Router.Grains.Interfaces;

/// <summary>
/// The router's own token count, for when a backend reports none: about four characters a token (the
/// usual rule for English text with the tokenizers of today's models; code and other scripts run
/// denser, so the figure is marked estimated wherever it is shown). Cheap on purpose: it runs on
/// every answer whose backend gives no usage, and an exact count would need the model's tokenizer.
/// </summary>
public static class TokenEstimate
{
    private const int CharsPerToken = 4;

    /// <summary>The tokens a message's framing (its role and separators) adds, as chat templates do.</summary>
    private const int PerMessage = 4;

    /// <summary>Tokens for <paramref name="chars"/> characters of text (0 for none, at least 1 otherwise).</summary>
    public static long OfChars(long chars) => chars <= 0 ? 0 : (chars + CharsPerToken - 1) / CharsPerToken;

    /// <summary>The prompt a model gets: <paramref name="message"/> after <paramref name="history"/>, or the client's whole <paramref name="input"/>.</summary>
    public static long OfPrompt(string message, IReadOnlyList<ChatTurn>? history, ModelInput? input)
    {
        if (input is not null) return OfInput(input);
        long tokens = OfChars(message.Length) + PerMessage;
        if (history is null) return tokens;
        foreach (var turn in history) tokens += OfChars(turn.Content.Length) + PerMessage;
        return tokens;
    }

    private static long OfInput(ModelInput input)
    {
        long tokens = 0;
        foreach (var message in input.Messages)
        {
            long chars = 0;
            foreach (var part in message.Parts)
            {
                chars += (part.Text?.Length ?? 0) + (part.Arguments?.Length ?? 0) + (part.Name?.Length ?? 0);
            }

            tokens += OfChars(chars) + PerMessage;
        }

        if (input.Tools is { } tools)
        {
            foreach (var tool in tools) tokens += OfChars(tool.Name.Length + (tool.Description?.Length ?? 0) + (tool.Parameters?.Length ?? 0));
        }

        return tokens;
    }
}
