namespace Router.WebFront.RequestLog;

/// <summary>
/// One request as the request log keeps it. No prompt or answer text unless
/// <see cref="RequestLogOptions.IncludeText"/> is on. Written once, when the request ends.
/// </summary>
/// <param name="TimeMs">When the request arrived, Unix milliseconds (UTC).</param>
/// <param name="Surface">The API that took it: <c>complete</c>, <c>complete.resume</c>, <c>openai.chat</c>, <c>ollama.chat</c>, …</param>
/// <param name="ModelRequested">The model the client named; null when the classifier chose (<c>auto</c>, or <c>/complete</c>).</param>
/// <param name="Model">The model that answered; null when the request was refused before routing.</param>
/// <param name="RoutingReason">Why capabilities changed the classifier's choice, when they did.</param>
/// <param name="Cost">Exact to <see cref="Spend.PriceList.Decimals"/> places, in <paramref name="Currency"/>.</param>
/// <param name="CostEstimated">True when a token count behind the cost is the router's estimate.</param>
/// <param name="Outcome"><c>done</c>, <c>error</c>, <c>client_disconnected</c>, <c>incomplete</c> or <c>rejected</c>.</param>
public sealed record RequestLogRow(
    long TimeMs,
    string RequestId,
    string Surface,
    string? KeyId,
    string? UserId,
    string? ModelRequested,
    string? Model,
    string? Category,
    double? Confidence,
    string? Tier,
    string? RoutingReason,
    long? PromptTokens,
    long? OutputTokens,
    long? CachedTokens,
    decimal Cost,
    bool CostEstimated,
    string Currency,
    double? TtftMs,
    long DurationMs,
    string Outcome,
    string? ErrorCode,
    string WebFront,
    string? Silo,
    string? TraceId,
    string? Prompt = null,
    string? Answer = null);
