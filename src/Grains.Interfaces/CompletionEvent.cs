namespace Router.Grains.Interfaces;

/// <summary>The kind of an item on a completion stream.</summary>
public enum CompletionEventKind
{
    /// <summary>A chunk of generated text (one or more coalesced tokens).</summary>
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
    [property: Id(4)] CompletionError? Error)
{
    /// <summary>True for the done and error items that end a stream.</summary>
    public bool IsTerminal => Kind != CompletionEventKind.Token;

    /// <summary>A chunk of text.</summary>
    public static CompletionEvent Chunk(string model, string text) => new(CompletionEventKind.Token, model, text, null, null);

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
[GenerateSerializer, Immutable, Alias("router.completion-summary.v1")]
public sealed record CompletionSummary(
    [property: Id(0)] string? Category,
    [property: Id(1)] long? PromptTokens,
    [property: Id(2)] long? OutputTokens,
    [property: Id(3)] long ProcessingMs);
