using Orleans.Runtime;

namespace Router.Grains.Interfaces;

/// <summary>A prompt a user submitted, with the id the web front gave it.</summary>
/// <param name="RequestId">Unique id of the request; also the key of its completion stream.</param>
/// <param name="Message">The prompt text, already validated (non-empty, within the size limit).</param>
[GenerateSerializer, Immutable, Alias("router.completion-request.v1")]
public sealed record CompletionRequest(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string Message);

/// <summary>What the session grain decided for a request before generation starts.</summary>
/// <param name="Model">The model the request was routed to; empty when routing failed.</param>
/// <param name="Category">The classifier's category, when one is known.</param>
/// <param name="CacheHit">Whether the classification came from the cache.</param>
/// <param name="Error">Set when the request could not be started; no stream events will follow.</param>
/// <param name="Silo">
/// The silo that runs the generation. If it leaves the cluster, no terminal item will come, so the
/// caller watching membership can end its stream at once. Null when nothing runs.
/// </param>
[GenerateSerializer, Immutable, Alias("router.completion-ticket.v1")]
public sealed record CompletionTicket(
    [property: Id(0)] string Model,
    [property: Id(1)] string? Category,
    [property: Id(2)] bool CacheHit,
    [property: Id(3)] CompletionError? Error,
    [property: Id(4)] SiloAddress? Silo = null);

/// <summary>A failure with a short machine code and a human message.</summary>
[GenerateSerializer, Immutable, Alias("router.completion-error.v1")]
public sealed record CompletionError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);
