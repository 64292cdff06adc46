namespace Router.Grains.Interfaces;

/// <summary>The kind of an item on a completion stream.</summary>
public enum CompletionEventKind
{
    /// <summary>
    /// A chunk of the answer (one or more coalesced updates): text, and apart from it a reasoning
    /// model's thinking and tool calls. Within a chunk, reasoning comes before text.
    /// </summary>
    Token = 0,

    /// <summary>Terminal: the completion finished; <see cref="CompletionEvent.Summary"/> is set.</summary>
    Done = 1,

    /// <summary>Terminal: the completion failed; <see cref="CompletionEvent.Error"/> is set.</summary>
    Error = 2,
}

/// <summary>
/// One item on a completion stream. Every stream ends with exactly one terminal item
/// (<see cref="CompletionEventKind.Done"/> or <see cref="CompletionEventKind.Error"/>), because
/// memory streams cannot signal completion out of band.
/// </summary>
[GenerateSerializer, Immutable, Alias("router.completion-event.v1")]
public sealed record CompletionEvent(
    [property: Id(0)] CompletionEventKind Kind,
    [property: Id(1)] string Model,
    [property: Id(2)] string Text,
    [property: Id(3)] CompletionSummary? Summary,
    [property: Id(4)] CompletionError? Error,
    [property: Id(5)] string? Reasoning = null,
    [property: Id(6)] IReadOnlyList<ToolCallDelta>? ToolCalls = null)
{
    /// <summary>True for the done and error items that end a stream.</summary>
    public bool IsTerminal => Kind != CompletionEventKind.Token;

    /// <summary>The characters this item carries (text, thinking and tool calls), for buffer bounds.</summary>
    public int PayloadChars
    {
        get
        {
            var chars = Text.Length + (Reasoning?.Length ?? 0);
            if (ToolCalls is { } calls)
            {
                foreach (var call in calls) chars += call.Arguments.Length + (call.Name?.Length ?? 0) + (call.Id?.Length ?? 0);
            }

            return chars;
        }
    }

    /// <summary>A chunk of text.</summary>
    public static CompletionEvent Chunk(string model, string text) => new(CompletionEventKind.Token, model, text, null, null);

    /// <summary>A chunk with thinking or tool calls beside (or instead of) text.</summary>
    public static CompletionEvent Chunk(string model, string text, string? reasoning, IReadOnlyList<ToolCallDelta>? toolCalls) =>
        new(CompletionEventKind.Token, model, text, null, null, reasoning, toolCalls);

    /// <summary>The terminal success item.</summary>
    public static CompletionEvent Completed(string model, CompletionSummary summary) => new(CompletionEventKind.Done, model, "", summary, null);

    /// <summary>The terminal failure item.</summary>
    public static CompletionEvent Failed(string model, string code, string message) =>
        new(CompletionEventKind.Error, model, "", null, new CompletionError(code, message));
}

/// <summary>The figures of a finished completion, carried by the done item.</summary>
/// <param name="Category">The classifier's category, when known.</param>
/// <param name="PromptTokens">Prompt tokens as reported by the backend (Ollama's prompt_eval_count).</param>
/// <param name="OutputTokens">Output tokens as reported by the backend (Ollama's eval_count).</param>
/// <param name="ProcessingMs">Time from the grain receiving the request to the end of generation.</param>
/// <param name="FinishReason">
/// Why the backend stopped, in OpenAI's words: <c>stop</c>, <c>length</c>, <c>tool_calls</c>,
/// <c>content_filter</c>, or the backend's own; null when it did not say.
/// </param>
/// <param name="CachedInputTokens">Prompt tokens the backend served from its prompt cache (part of <paramref name="PromptTokens"/>), when it reports them.</param>
/// <param name="TokensEstimated">
/// True when the backend gave no count for <paramref name="PromptTokens"/> or <paramref name="OutputTokens"/>
/// and the router filled it with its own estimate (<see cref="TokenEstimate"/>) of what it sent and relayed.
/// </param>
/// <param name="StopSequence">
/// The client's stop sequence that ended the answer (finish reason <c>stop</c>), as the client sent it;
/// null when the answer ended otherwise. The router matches stop sequences itself, since the backends do not say which one ended an answer.
/// </param>
[GenerateSerializer, Immutable, Alias("router.completion-summary.v1")]
public sealed record CompletionSummary(
    [property: Id(0)] string? Category,
    [property: Id(1)] long? PromptTokens,
    [property: Id(2)] long? OutputTokens,
    [property: Id(3)] long ProcessingMs,
    [property: Id(4)] string? FinishReason = null,
    [property: Id(5)] long? CachedInputTokens = null,
    [property: Id(6)] bool TokensEstimated = false,
    [property: Id(7)] string? StopSequence = null);

/// <summary>
/// A tool call of the answer, or a piece of one: the first piece of a call has its
/// <see cref="Id"/> and <see cref="Name"/>; pieces of one call share <see cref="Index"/> and their
/// <see cref="Arguments"/> concatenate to the call's JSON arguments.
/// </summary>
[GenerateSerializer, Immutable, Alias("router.tool-call-delta.v1")]
public sealed record ToolCallDelta(
    [property: Id(0)] int Index,
    [property: Id(1)] string? Id,
    [property: Id(2)] string? Name,
    [property: Id(3)] string Arguments);
