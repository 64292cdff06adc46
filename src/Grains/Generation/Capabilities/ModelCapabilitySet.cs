using Router.Grains.Interfaces;

namespace Router.Grains.Generation.Capabilities;

/// <summary>What a served model can do.</summary>
/// <param name="ContextLength">Its context in tokens; null when unknown (no check is made).</param>
public sealed record ModelCapabilitySet(bool Tools, bool Vision, bool Thinking, bool StructuredOutput, int? ContextLength)
{
    /// <summary>A model without a streaming backend: it answers with the standard message only.</summary>
    public static ModelCapabilitySet None { get; } = new(false, false, false, false, null);

    /// <summary>What <paramref name="needs"/> asks for beyond text, in words for a person (the context aside).</summary>
    public static List<string> Needed(RequestNeeds needs) => None.Missing(needs with { PromptTokens = 0 });

    /// <summary>What <paramref name="needs"/> asks for and this model lacks, in words for a person; empty when it can serve it.</summary>
    public List<string> Missing(RequestNeeds needs)
    {
        var missing = new List<string>();
        if (needs.Vision && !Vision) missing.Add("vision (the request has images)");
        if (needs.Tools && !Tools) missing.Add("tools (the request offers tools)");
        if (needs.Thinking && !Thinking) missing.Add("thinking (the request asks for reasoning)");
        if (needs.StructuredOutput && !StructuredOutput) missing.Add("structured output (the request asks for a JSON format)");
        if (needs.PromptTokens > 0 && ContextLength is { } context && needs.PromptTokens > context)
        {
            missing.Add($"a context of {needs.PromptTokens} tokens (it has {context})");
        }

        return missing;
    }
}
