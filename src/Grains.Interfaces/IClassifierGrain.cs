namespace Router.Grains.Interfaces;

/// <summary>
/// Picks the model for a message through the configured classifier, with a bounded cache: identical
/// messages (after normalising white space and case) are classified once per TTL, and concurrent
/// identical requests share one classifier call. A local stateless worker on every silo.
/// </summary>
public interface IClassifierGrain : IGrainWithIntegerKey
{
    /// <summary>Classifies a message. Classifier failures come back as a decision with an error, not as an exception.</summary>
    ValueTask<ClassifierDecision> ClassifyAsync(string message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Classifies the query's message; with the conversation's earlier user turns, keeps the model the
    /// conversation is on unless the message is confidently of another category (a follow-up stays:
    /// <see cref="ClassifierDecision.Sticky"/>); then keeps that model only if it has every capability
    /// the query needs, otherwise names the first served model that has them, with
    /// <see cref="ClassifierDecision.RoutingReason"/> saying why, or carries a <c>no_capable_model</c> error.
    /// </summary>
    ValueTask<ClassifierDecision> RouteAsync(RouteQuery query, CancellationToken cancellationToken = default);
}

/// <summary>The model chosen for a message.</summary>
/// <param name="Model">The model to use; empty when <paramref name="Error"/> is set.</param>
/// <param name="Category">The category, when the classifier gave one.</param>
/// <param name="Confidence">The classifier's confidence, when it gave one.</param>
/// <param name="CacheHit">Whether the decision came from the cache.</param>
/// <param name="Error">Set when the classifier failed and no fallback model is configured.</param>
/// <param name="Scores">Every category's probability, when the classifier gave them.</param>
/// <param name="Tier">Which classifier decided: its tier in-process, <c>service</c>, or <c>fallback</c>.</param>
[GenerateSerializer, Immutable, Alias("router.classifier-decision.v1")]
public sealed record ClassifierDecision(
    [property: Id(0)] string Model,
    [property: Id(1)] string? Category,
    [property: Id(2)] double? Confidence,
    [property: Id(3)] bool CacheHit,
    [property: Id(4)] CompletionError? Error,
    [property: Id(5)] IReadOnlyDictionary<string, double>? Scores = null,
    [property: Id(6)] string? Tier = null,
    [property: Id(7)] string? RoutingReason = null,
    [property: Id(8)] bool Sticky = false);

/// <summary>What <c>auto</c> routing decides on.</summary>
/// <param name="Message">The text the classifier reads (the last user message).</param>
/// <param name="Needs">What the request needs of a model; null for nothing beyond text.</param>
/// <param name="EarlierUserTurns">The conversation's user messages before <paramref name="Message"/>, oldest first (the last few are enough).</param>
[GenerateSerializer, Immutable, Alias("router.route-query.v1")]
public sealed record RouteQuery(
    [property: Id(0)] string Message,
    [property: Id(1)] RequestNeeds? Needs = null,
    [property: Id(2)] IReadOnlyList<string>? EarlierUserTurns = null)
{
    /// <summary>How many earlier user turns routing reads: a settled conversation's older turns seldom matter, and each costs a classification.</summary>
    public const int MaxEarlierTurns = 3;
}
