namespace Router.Grains.Interfaces.Keys;

/// <summary>The limits of one API key; a null limit is no limit.</summary>
/// <param name="RequestsPerMinute">Requests admitted in any 60-second span (a sliding window).</param>
/// <param name="TokensPerMinute">Prompt and output tokens in any 60-second span: reserved at the start, settled at the end.</param>
/// <param name="TokensPerDay">Prompt and output tokens per UTC calendar day.</param>
/// <param name="ConcurrentStreams">Answers open at the same time, each counted until its terminal event.</param>
[GenerateSerializer, Immutable, Alias("router.key-limits.v1")]
public sealed record KeyLimits(
    [property: Id(0)] int? RequestsPerMinute = null,
    [property: Id(1)] long? TokensPerMinute = null,
    [property: Id(2)] long? TokensPerDay = null,
    [property: Id(3)] int? ConcurrentStreams = null)
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
[GenerateSerializer, Immutable, Alias("router.key-usage.v1")]
public sealed record KeyUsage(
    [property: Id(0)] int RequestsLastMinute,
    [property: Id(1)] long TokensLastMinute,
    [property: Id(2)] long TokensToday,
    [property: Id(3)] int OpenStreams);

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

/// <summary>A request asking for a slot under its key's limits.</summary>
/// <param name="LeaseId">Names the slot when it is released.</param>
/// <param name="Tokens">Tokens reserved until the request settles (its <c>max_tokens</c>, or the configured default).</param>
/// <param name="MaxDuration">After this the slot is given back even if no release came (a web front that died).</param>
[GenerateSerializer, Immutable, Alias("router.key-lease-request.v1")]
public sealed record LeaseRequest(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] long Tokens,
    [property: Id(2)] TimeSpan MaxDuration);

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

/// <summary>The answer to a <see cref="LeaseRequest"/>, with the state of every limit the key has.</summary>
/// <param name="Exceeded">Which limit refused it: <c>requests</c>, <c>tokens</c>, <c>tokens_day</c> or <c>streams</c>.</param>
[GenerateSerializer, Immutable, Alias("router.key-lease-decision.v1")]
public sealed record LeaseDecision(
    [property: Id(0)] LeaseOutcome Outcome,
    [property: Id(1)] string? Exceeded = null,
    [property: Id(2)] TimeSpan RetryAfter = default,
    [property: Id(3)] LimitStatus? Requests = null,
    [property: Id(4)] LimitStatus? Tokens = null,
    [property: Id(5)] LimitStatus? TokensDay = null,
    [property: Id(6)] LimitStatus? Streams = null);

/// <summary>The end of a leased request.</summary>
/// <param name="Tokens">The tokens it really used; null keeps the reservation (the end is unknown).</param>
[GenerateSerializer, Immutable, Alias("router.key-lease-release.v1")]
public sealed record LeaseRelease(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] long? Tokens);
