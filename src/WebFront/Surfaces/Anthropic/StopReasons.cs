namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>The backend's finish reason (OpenAI's words, as the core carries it) in Anthropic's words.</summary>
internal static class StopReasons
{
    /// <summary>
    /// A matched stop sequence → <c>stop_sequence</c>; <c>length</c> → <c>max_tokens</c>; <c>tool_calls</c>
    /// (or any answer with a tool call) → <c>tool_use</c>; <c>content_filter</c> → <c>refusal</c>;
    /// anything else → <c>end_turn</c>.
    /// </summary>
    public static string Of(string? finishReason, bool hasToolUse, string? stopSequence = null) => finishReason switch
    {
        "length" => "max_tokens",
        "content_filter" => "refusal",
        "tool_calls" => "tool_use",
        _ when hasToolUse => "tool_use",
        _ when stopSequence is not null => "stop_sequence",
        _ => "end_turn",
    };
}
