namespace Router.Grains.Interfaces.Keys;

/// <summary>The limits of one API key; a null limit is no limit.</summary>
/// <param name="RequestsPerMinute">Requests admitted in any 60-second span (a sliding window).</param>
/// <param name="TokensPerMinute">Prompt and output tokens in any 60-second span: reserved at the start, settled at the end.</param>
/// <param name="TokensPerDay">Prompt and output tokens per UTC calendar day.</param>
/// <param name="ConcurrentStreams">Answers open at the same time, each counted until its terminal event.</param>
/// <param name="SpendPerDay">Spend per UTC calendar day, in the pricing currency: settled costs plus running reservations never go above it.</param>
/// <param name="SpendPerMonth">Spend per UTC calendar month, in the pricing currency, held like <paramref name="SpendPerDay"/>.</param>
[GenerateSerializer, Immutable, Alias("router.key-limits.v1")]
public sealed record KeyLimits(
    [property: Id(0)] int? RequestsPerMinute = null,
    [property: Id(1)] long? TokensPerMinute = null,
    [property: Id(2)] long? TokensPerDay = null,
    [property: Id(3)] int? ConcurrentStreams = null,
    [property: Id(4)] decimal? SpendPerDay = null,
    [property: Id(5)] decimal? SpendPerMonth = null)
{
    /// <summary>No limit at all.</summary>
    public static readonly KeyLimits None = new();
}

/// <summary>What an administrator asks for when creating a key; the key itself never leaves the web front that made it.</summary>
/// <param name="UserId">The user the key names; its requests run in this user's session.</param>
/// <param name="KeyHash">Lower-case hex SHA-256 of the key: the only form in which it is stored.</param>
[GenerateSerializer, Immutable, Alias("router.key-spec.v1")]
public sealed record ApiKeySpec(
    [property: Id(0)] string UserId,
    [property: Id(1)] string KeyHash,
    [property: Id(2)] KeyLimits Limits);

/// <summary>How much of its limits a key has used right now.</summary>
/// <param name="SpendToday">Settled cost this UTC day, in the pricing currency.</param>
/// <param name="SpendThisMonth">Settled cost this UTC calendar month.</param>
/// <param name="SpendReserved">What running requests hold against the budgets until they settle.</param>
[GenerateSerializer, Immutable, Alias("router.key-usage.v1")]
public sealed record KeyUsage(
    [property: Id(0)] int RequestsLastMinute,
    [property: Id(1)] long TokensLastMinute,
    [property: Id(2)] long TokensToday,
    [property: Id(3)] int OpenStreams,
    [property: Id(4)] decimal SpendToday = 0m,
    [property: Id(5)] decimal SpendThisMonth = 0m,
    [property: Id(6)] decimal SpendReserved = 0m);

/// <summary>A key as an administrator sees it: never its secret, nor its hash.</summary>
[GenerateSerializer, Immutable, Alias("router.key-details.v1")]
public sealed record ApiKeyDetails(
    [property: Id(0)] string Id,
    [property: Id(1)] string UserId,
    [property: Id(2)] KeyLimits Limits,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt,
    [property: Id(5)] KeyUsage Usage);

/// <summary>Who a live key belongs to.</summary>
[GenerateSerializer, Immutable, Alias("router.key-identity.v1")]
public sealed record ApiKeyIdentity(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string UserId);

/// <summary>
/// A request asking for a slot under its key's limits. The lease's life: a web front acquires it
/// with a reservation (an estimate of the prompt plus the output cap), hands it with the request to
/// the generation, and whoever ends the request settles it with <see cref="LeaseRelease"/> and the
/// real counts, on every ending: the generation's owner when a generation ran, the web front when
/// none did.
/// </summary>
/// <param name="LeaseId">Names the slot when it is released.</param>
/// <param name="Tokens">Tokens reserved until the request settles: its prompt estimate plus its output cap.</param>
/// <param name="MaxDuration">After this the slot is given back even if no release came (a web front that died).</param>
/// <param name="MinTokens">
/// The least reservation the request can run with (its prompt estimate and one output token). A
/// larger <paramref name="Tokens"/> is cut to what a token limit allows at all; a request whose
/// minimum is beyond a limit outright is refused (<c>tokens_request</c>), since no wait would admit it.
/// </param>
/// <param name="PromptCost">What the prompt estimate costs (the <c>MinTokens - 1</c> prompt tokens), in the pricing currency.</param>
/// <param name="OutputTokenCost">What one output token costs; with a spend budget, the output cap is cut to what the budget's remainder pays for.</param>
[GenerateSerializer, Immutable, Alias("router.key-lease-request.v1")]
public sealed record LeaseRequest(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] long Tokens,
    [property: Id(2)] TimeSpan MaxDuration,
    [property: Id(3)] long MinTokens = 0,
    [property: Id(4)] decimal PromptCost = 0m,
    [property: Id(5)] decimal OutputTokenCost = 0m);

/// <summary>How an admission ended.</summary>
public enum LeaseOutcome
{
    /// <summary>Admitted: a slot is held until released.</summary>
    Granted = 0,

    /// <summary>A limit is reached; <see cref="LeaseDecision.RetryAfter"/> says when to come back.</summary>
    RateLimited = 1,

    /// <summary>The key was revoked or never existed.</summary>
    Revoked = 2,
}

/// <summary>One limit's state for the <c>x-ratelimit-*</c> headers.</summary>
/// <param name="Reset">Until the limit is back to its full allowance.</param>
[GenerateSerializer, Immutable, Alias("router.limit-status.v1")]
public sealed record LimitStatus(
    [property: Id(0)] long Limit,
    [property: Id(1)] long Remaining,
    [property: Id(2)] TimeSpan Reset);

/// <summary>One spend budget's state: its amount, what is left of it (settled spend and running reservations taken off), and when its period ends.</summary>
[GenerateSerializer, Immutable, Alias("router.spend-status.v1")]
public sealed record SpendStatus(
    [property: Id(0)] decimal Limit,
    [property: Id(1)] decimal Remaining,
    [property: Id(2)] TimeSpan Reset);

/// <summary>The answer to a <see cref="LeaseRequest"/>, with the state of every limit the key has.</summary>
/// <param name="Exceeded">
/// Which limit refused it: <c>requests</c>, <c>tokens</c>, <c>tokens_day</c>, <c>streams</c>,
/// <c>tokens_request</c> (the request alone needs more tokens than a limit allows at all), or
/// <c>spend_day</c> / <c>spend_month</c> (the budget's remainder does not pay for the prompt and one output token).
/// </param>
/// <param name="Reserved">The tokens a granted lease reserved (its request's <see cref="LeaseRequest.Tokens"/>, perhaps cut to fit a limit or a budget).</param>
/// <param name="ReservedSpend">The cost a granted lease holds against the budgets until its spend is settled.</param>
[GenerateSerializer, Immutable, Alias("router.key-lease-decision.v1")]
public sealed record LeaseDecision(
    [property: Id(0)] LeaseOutcome Outcome,
    [property: Id(1)] string? Exceeded = null,
    [property: Id(2)] TimeSpan RetryAfter = default,
    [property: Id(3)] LimitStatus? Requests = null,
    [property: Id(4)] LimitStatus? Tokens = null,
    [property: Id(5)] LimitStatus? TokensDay = null,
    [property: Id(6)] LimitStatus? Streams = null,
    [property: Id(7)] long Reserved = 0,
    [property: Id(8)] SpendStatus? SpendDay = null,
    [property: Id(9)] SpendStatus? SpendMonth = null,
    [property: Id(10)] decimal ReservedSpend = 0m);

/// <summary>The end of a leased request: frees its stream slot and replaces its reservation with the real count. A lease is settled once; later releases of it are ignored.</summary>
/// <param name="Tokens">The tokens it really used (prompt and output); null keeps the reservation (the end is unknown).</param>
/// <param name="Cost">
/// When set, the lease's spend is settled too (as by <see cref="IApiKeyGrain.SettleSpendAsync"/>): used by
/// whoever bills the request and releases its lease in one go (a request no generation took, an embedding).
/// </param>
[GenerateSerializer, Immutable, Alias("router.key-lease-release.v1")]
public sealed record LeaseRelease(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] long? Tokens,
    [property: Id(2)] decimal? Cost = null);

/// <summary>
/// The bill of a leased request: its reserved spend is replaced by <paramref name="Cost"/>. Sent by the
/// web front that records the request's row, with the very amount of that row, so the key's spend and
/// the request log agree exactly. A lease's spend is settled once; later settlements are ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("router.key-spend-settlement.v1")]
public sealed record SpendSettlement(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] decimal Cost);

/// <summary>
/// A granted lease travelling with its request to the generation, whose owner settles it
/// (<see cref="IApiKeyGrain.ReleaseAsync"/>) with the tokens the backend processed when the generation ends.
/// </summary>
[GenerateSerializer, Immutable, Alias("router.key-lease.v1")]
public sealed record KeyLease(
    [property: Id(0)] string KeyId,
    [property: Id(1)] Guid LeaseId);
