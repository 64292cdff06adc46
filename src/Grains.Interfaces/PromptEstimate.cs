namespace Router.Grains.Interfaces;

/// <summary>
/// A rough count of a prompt's tokens, reckoned as <see cref="ModelInput.EstimatedPromptTokens"/>
/// reckons (a token per four characters), for prompts that are a message and a conversation of turns.
/// A key's reservation holds it; the backend's own count replaces it when the answer ends.
/// </summary>
public static class PromptEstimate
{
    public static int Of(string message, IEnumerable<ChatTurn>? turns = null)
    {
        long chars = message.Length;
        foreach (var turn in turns ?? [])
        {
            chars += turn.Content.Length;
        }

        return (int)Math.Min(int.MaxValue, chars / 4 + 1);
    }
}
