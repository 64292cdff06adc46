using System.Text;

namespace Router.Grains.Generation;

/// <summary>What a generation produced so far: the text, the backend's counts and delivery figures.</summary>
internal sealed class GenerationResult
{
    public long Started { get; init; }

    public StringBuilder Text { get; } = new();

    public long? PromptTokens { get; set; }

    public long? OutputTokens { get; set; }

    /// <summary>Prompt tokens served from the backend's prompt cache, when it reports them.</summary>
    public long? CachedInputTokens { get; set; }

    /// <summary>Characters of text, thinking and tool-call arguments relayed: the router's own count when the backend reports none.</summary>
    public long RelayedChars { get; set; }

    /// <summary>The backend's finish reason in OpenAI's words; null until it said one.</summary>
    public string? FinishReason { get; set; }

    /// <summary>The client's stop sequence that ended the answer (<see cref="StopSequenceMatcher"/>); null when none did.</summary>
    public string? StopSequence { get; set; }

    /// <summary>How many tool calls the answer made.</summary>
    public int ToolCalls { get; set; }

    /// <summary>UTF-8 bytes of text, thinking and tool-call arguments so far (the output byte cap counts them).</summary>
    public long OutputBytes { get; set; }

    /// <summary>Pieces (backend updates with content) so far: at least one token each.</summary>
    public long Pieces { get; set; }

    /// <summary>True once the request was sent to a backend: a stop from then on has cost the prompt.</summary>
    public bool BackendAsked { get; set; }

    /// <summary>The cap that cut the answer (<see cref="OutputCaps.Hit"/>); null when none did.</summary>
    public string? CapHit { get; set; }

    public int Chunks { get; set; }

    public double? FirstTokenMs { get; set; }

    public double? FirstChunkMs { get; set; }
}
