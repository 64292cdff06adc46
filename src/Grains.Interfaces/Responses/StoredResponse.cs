namespace Router.Grains.Interfaces.Responses;

/// <summary>A stored answer of the Responses API and its place in a conversation.</summary>
/// <param name="Id">The response's id (<c>resp_…</c>).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it is forgotten (the web front's <c>Responses:Retention</c> after creation).</param>
/// <param name="Ancestors">
/// The ids of the responses it continues, oldest first (empty for the first of a conversation): a
/// continuation reads them all at once instead of walking the chain one call at a time.
/// </param>
/// <param name="Messages">
/// What this turn added to the conversation: the client's input (without <c>instructions</c>, which a
/// continuation does not inherit) and the model's output, in order.
/// </param>
/// <param name="ChainBytes">The bytes of the whole conversation up to and including this turn, for the chain's bound.</param>
/// <param name="Body">The response object as the client got it (JSON), answered by <c>GET /v1/responses/{id}</c>.</param>
[GenerateSerializer, Immutable, Alias("router.stored-response.v1")]
public sealed record StoredResponse(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] IReadOnlyList<string> Ancestors,
    [property: Id(4)] IReadOnlyList<ConversationMessage> Messages,
    [property: Id(5)] long ChainBytes,
    [property: Id(6)] string Body);
