namespace Router.Grains.Interfaces;

/// <summary>
/// The per-user session, keyed by user id. It routes each request, keeps the conversation and the
/// user's counters, and starts generations that publish to the request's completion stream.
/// Calls interleave, so one user's concurrent requests never wait on each other.
/// </summary>
public interface IUserSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Routes the request (the classifier, or the model it names), starts its generation outside
    /// this call and returns at once. The generation publishes its items on
    /// <see cref="CompletionRequest.ReplyLane"/>, ending with a done or error item; the caller's lane
    /// must already be subscribed. When the returned ticket has an <see cref="CompletionTicket.Error"/>,
    /// nothing is published. To stop the generation, call <see cref="IGenerationOwnerGrain"/> of
    /// <see cref="CompletionTicket.Silo"/>.
    /// </summary>
    ValueTask<CompletionTicket> StartCompletionAsync(CompletionRequest request, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of the session: recent turns and counters.</summary>
    ValueTask<UserSessionSnapshot> GetSessionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the outcome of a generation this grain started; called by the silo's runner. The
    /// outcome is applied at once (the next request sees the turn) and written behind: the call
    /// returns before the store has it, so a slow store never holds up the end of an answer.
    /// Recording the same request twice has no further effect.
    /// </summary>
    ValueTask RecordOutcomeAsync(CompletionOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the outcome of <paramref name="requestId"/> is in the store. False when this
    /// activation does not have it (it was lost with a silo before it was written): the caller, which
    /// still holds the outcome, records it again.
    /// </summary>
    ValueTask<bool> IsRecordedAsync(Guid requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// An estimate of the tokens the session's turns add to a <c>/complete</c> prompt (a token per
    /// four characters, like <see cref="ModelInput.EstimatedPromptTokens"/>), for the key's reservation.
    /// </summary>
    ValueTask<int> EstimateHistoryTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the conversation (every turn) and waits until the store has forgotten it; the counters stay.</summary>
    ValueTask ClearHistoryAsync(CancellationToken cancellationToken = default);
}

/// <summary>One exchange of the conversation.</summary>
[GenerateSerializer, Immutable, Alias("router.conversation-turn.v1")]
public sealed record ConversationTurn(
    [property: Id(0)] string UserMessage,
    [property: Id(1)] string AssistantMessage,
    [property: Id(2)] string Model,
    [property: Id(3)] DateTimeOffset At);

/// <summary>How a generation ended, reported back to the session that started it.</summary>
/// <param name="Stateless">The exchange is not a turn of the session's conversation (<see cref="CompletionRequest.Stateless"/>): only counted.</param>
[GenerateSerializer, Immutable, Alias("router.completion-outcome.v1")]
public sealed record CompletionOutcome(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string UserMessage,
    [property: Id(2)] string Model,
    [property: Id(3)] string AssistantText,
    [property: Id(4)] long PromptTokens,
    [property: Id(5)] long OutputTokens,
    [property: Id(6)] string? ErrorCode,
    [property: Id(7)] bool Stateless = false);

/// <summary>What a session holds, as seen from outside.</summary>
[GenerateSerializer, Immutable, Alias("router.user-session-snapshot.v1")]
public sealed record UserSessionSnapshot(
    [property: Id(0)] IReadOnlyList<ConversationTurn> Turns,
    [property: Id(1)] long Requests,
    [property: Id(2)] long Completed,
    [property: Id(3)] long Failed,
    [property: Id(4)] long PromptTokens,
    [property: Id(5)] long OutputTokens,
    [property: Id(6)] int InFlight);
