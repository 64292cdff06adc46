using Orleans.Runtime;
using Router.Grains.Interfaces.Keys;

namespace Router.Grains.Interfaces;

/// <summary>A prompt a user submitted, with the id the web front gave it and where to send the answer.</summary>
/// <param name="RequestId">Unique id of the request; every item of its answer carries it.</param>
/// <param name="Message">The prompt text (the last user message), already validated; the classifier routes on it.</param>
/// <param name="ReplyLane">Key of the web front's lane the answer is published on (<see cref="RouterStreams.ForLane"/>).</param>
/// <param name="Model">A model the client asked for by name; null routes through the classifier.</param>
/// <param name="Context">
/// The conversation the client sent with the prompt (OpenAI-style clients send the history
/// themselves), oldest first and without <paramref name="Message"/>; null uses the session's own turns.
/// </param>
/// <param name="Settings">Sampling settings passed to the backend; null leaves the backend's defaults.</param>
/// <param name="Input">
/// The whole input the model gets when the client owns its conversation (messages with images, tool
/// calls and results, the tools offered, the output format); <paramref name="Context"/> is then
/// unused and no session turns are added. Null for <c>/complete</c>, where the session keeps the conversation.
/// </param>
/// <param name="ResumeWindow">
/// How long after its end the answer's items are kept for a resume (the web front's
/// <c>WebFront:ResumeWindow</c>); null keeps them only while it runs.
/// </param>
/// <param name="Lease">
/// The key lease the request was admitted under; the generation's owner settles it with the real
/// counts when the generation ends. Null without a key (or when nothing is to be charged).
/// </param>
/// <param name="Stateless">
/// The session neither sends its turns to the model nor records this exchange: the client owns its
/// conversation (every surface but <c>/complete</c>), or the caller is anonymous.
/// </param>
[GenerateSerializer, Immutable, Alias("router.completion-request.v1")]
public sealed record CompletionRequest(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string Message,
    [property: Id(2)] string ReplyLane,
    [property: Id(3)] string? Model = null,
    [property: Id(4)] IReadOnlyList<ChatTurn>? Context = null,
    [property: Id(5)] GenerationSettings? Settings = null,
    [property: Id(6)] TimeSpan? ResumeWindow = null,
    [property: Id(7)] ModelInput? Input = null,
    [property: Id(8)] KeyLease? Lease = null,
    [property: Id(9)] bool Stateless = false);

/// <summary>One message of a client-supplied conversation.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
[GenerateSerializer, Immutable, Alias("router.chat-turn.v1")]
public sealed record ChatTurn(
    [property: Id(0)] string Role,
    [property: Id(1)] string Content);

/// <summary>Sampling settings a client asked for; each is optional.</summary>
/// <param name="Reasoning">
/// A reasoning model's thinking: <c>off</c>, <c>on</c>, or an effort (<c>low</c>, <c>medium</c>,
/// <c>high</c>); null leaves the model's default.
/// </param>
/// <param name="BackendOptions">
/// Further options for an Ollama backend (Ollama's <c>options</c> entries the fields above do not
/// cover, such as <c>num_ctx</c> or <c>repeat_penalty</c>), each as its JSON value's text.
/// </param>
/// <param name="KeepAlive">How long an Ollama backend keeps the model loaded (Ollama's <c>keep_alive</c>, as sent).</param>
[GenerateSerializer, Immutable, Alias("router.generation-settings.v1")]
public sealed record GenerationSettings(
    [property: Id(0)] float? Temperature = null,
    [property: Id(1)] float? TopP = null,
    [property: Id(2)] int? MaxTokens = null,
    [property: Id(3)] IReadOnlyList<string>? Stop = null,
    [property: Id(4)] long? Seed = null,
    [property: Id(5)] int? TopK = null,
    [property: Id(6)] float? FrequencyPenalty = null,
    [property: Id(7)] float? PresencePenalty = null,
    [property: Id(8)] string? Reasoning = null,
    [property: Id(9)] IReadOnlyDictionary<string, string>? BackendOptions = null,
    [property: Id(10)] string? KeepAlive = null);

/// <summary>What the session grain decided for a request before generation starts.</summary>
/// <param name="Model">The model the request was routed to; empty when routing failed.</param>
/// <param name="Category">The classifier's category, when one is known.</param>
/// <param name="CacheHit">Whether the classification came from the cache (for logs; clients are not told).</param>
/// <param name="Error">Set when the request could not be started; nothing will be published for it.</param>
/// <param name="Silo">
/// The silo that runs and owns the generation: cancellation goes there, and if it leaves the
/// cluster no terminal item will come. Null when nothing runs.
/// </param>
/// <param name="Confidence">The classifier's confidence, when it decided.</param>
/// <param name="RoutingReason">
/// Why the model differs from the classifier's choice (the request needs a capability that model
/// lacks); null when the classifier's choice stood or the client named the model.
/// </param>
/// <param name="Sticky">True when the conversation's model was kept for a follow-up the classifier alone would have sent elsewhere.</param>
/// <param name="Tier">Which classifier tier decided (<see cref="ClassifierDecision.Tier"/>); null when the client named the model.</param>
[GenerateSerializer, Immutable, Alias("router.completion-ticket.v1")]
public sealed record CompletionTicket(
    [property: Id(0)] string Model,
    [property: Id(1)] string? Category,
    [property: Id(2)] bool CacheHit,
    [property: Id(3)] CompletionError? Error,
    [property: Id(4)] SiloAddress? Silo = null,
    [property: Id(5)] double? Confidence = null,
    [property: Id(6)] string? RoutingReason = null,
    [property: Id(7)] bool Sticky = false,
    [property: Id(8)] string? Tier = null);

/// <summary>A failure with a short machine code and a human message.</summary>
[GenerateSerializer, Immutable, Alias("router.completion-error.v1")]
public sealed record CompletionError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);
