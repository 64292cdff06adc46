using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>A <c>POST /v1/responses</c> body, read and validated.</summary>
/// <param name="Model">The model asked for; <c>auto</c> routes through the classifier.</param>
/// <param name="Input">The conversation items the client sent, as messages (tool results' names are filled in once the stored conversation is known).</param>
/// <param name="Instructions">The system message of this request only; a continuation does not inherit it.</param>
/// <param name="ParallelToolCalls">False keeps only the answer's first tool call.</param>
/// <param name="Echo">The request's fields the response object repeats, as their JSON text.</param>
internal sealed record ResponsesRequest(
    string Model,
    IReadOnlyList<ConversationMessage> Input,
    string? Instructions,
    IReadOnlyList<ToolDefinition>? Tools,
    ToolChoice? ToolChoice,
    OutputFormat? Format,
    GenerationSettings? Settings,
    bool Stream,
    bool Store,
    string? PreviousResponseId,
    bool ParallelToolCalls,
    ResponseEcho Echo)
{
    public const string AutoModel = "auto";

    /// <summary>The model for the core: null lets the classifier choose.</summary>
    public string? NamedModel => string.Equals(Model, AutoModel, StringComparison.OrdinalIgnoreCase) ? null : Model;
}

/// <summary>What the response object repeats of its request, each as JSON text (null when the client did not send it).</summary>
internal sealed record ResponseEcho(
    string? Tools = null,
    string? ToolChoice = null,
    string? Text = null,
    string? Reasoning = null,
    string? Metadata = null,
    float? Temperature = null,
    float? TopP = null,
    int? MaxOutputTokens = null,
    string? User = null,
    string? SafetyIdentifier = null,
    string? PromptCacheKey = null,
    string? ServiceTier = null);
