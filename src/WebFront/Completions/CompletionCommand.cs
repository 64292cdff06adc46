using Router.Grains.Interfaces;

namespace Router.WebFront.Completions;

/// <summary>What a surface asks the routing core for, whatever its wire format.</summary>
/// <param name="Message">The prompt (the last user message); the classifier routes on it.</param>
/// <param name="Model">A model the client named; null routes through the classifier.</param>
/// <param name="Context">The conversation the client sent before <paramref name="Message"/>; null uses the session's turns.</param>
/// <param name="KeyId">The API key that named the user (<see cref="Auth.Caller.KeyId"/>): its limits apply. Null in Open mode.</param>
/// <param name="Input">The whole input the model gets, when the client owns its conversation; <paramref name="Context"/> is then unused.</param>
/// <param name="Resumable">
/// The surface can resume its answers (<c>GET /complete/{id}</c>): a client that leaves detaches the
/// generation for <c>WebFront:ResumeGrace</c> instead of stopping it, and its items are kept for
/// <c>WebFront:ResumeWindow</c> after its end.
/// </param>
/// <param name="Conversation">
/// The user's session keeps the conversation (<c>/complete</c>): its turns go to the model and this
/// exchange is recorded, unless the caller is anonymous. Every other surface's client owns its conversation.
/// </param>
public sealed record CompletionCommand(
    string UserId,
    string Message,
    string? Model = null,
    IReadOnlyList<ChatTurn>? Context = null,
    GenerationSettings? Settings = null,
    string? KeyId = null,
    bool Resumable = false,
    ModelInput? Input = null,
    bool Conversation = false);

/// <summary>The kinds of <see cref="FlowEvent"/>.</summary>
public enum FlowEventKind
{
    Chunk,
    Done,
    Error,

    /// <summary>Nothing arrived for a keep-alive interval: the surface may send its keep-alive.</summary>
    KeepAlive,
}

/// <summary>One step of an answer, as the core hands it to a surface's encoder.</summary>
/// <param name="Sequence">The item's number in the answer's sequence (its SSE <c>id</c>); null for what the web front itself says.</param>
/// <param name="Reasoning">A reasoning model's thinking in this chunk, apart from <paramref name="Text"/>; it comes before the text.</param>
/// <param name="ToolCalls">Tool calls (or pieces of them) in this chunk.</param>
/// <param name="Cost">On a done event: what the answer cost (<see cref="Spend.RequestCost"/>).</param>
public readonly record struct FlowEvent(
    FlowEventKind Kind,
    string Model,
    string Text = "",
    CompletionSummary? Summary = null,
    CompletionError? Error = null,
    int? Sequence = null,
    string? Reasoning = null,
    IReadOnlyList<ToolCallDelta>? ToolCalls = null,
    Spend.RequestCost? Cost = null)
{
    public bool IsTerminal => Kind is FlowEventKind.Done or FlowEventKind.Error;
}
