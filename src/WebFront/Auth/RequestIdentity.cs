using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Keys;
using Router.WebFront.Completions;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Auth;

/// <summary>Who is asking: the user, the key that named them (null in Open mode), or why the request is refused.</summary>
public readonly record struct Caller(string? UserId, string? KeyId, RequestProblem? Problem)
{
    public static Caller Refused(RequestProblem problem) => new(null, null, problem);
}

/// <summary>
/// Names the user of a request, the same way on every surface: in <see cref="AuthMode.Open"/> mode
/// from <c>X-User-Id</c>; in <see cref="AuthMode.Keys"/> mode from the API key, ignoring
/// <c>X-User-Id</c>. Live keys are not cached here: each request asks the key's lookup grain, so a
/// revocation holds on every web front as soon as it returns. What costs nothing comes first: a key
/// whose format or check is wrong, a key this web front already knows to be unknown
/// (<see cref="UnknownKeyCache"/>), and an address that spent its failed authentications
/// (<see cref="AuthFailures"/>) are refused before the cluster is asked.
/// A surface calls <c>var (userId, keyId, problem) = await identity.ResolveAsync(request)</c>, answers
/// <c>problem</c> in its own error shape, and passes <c>keyId</c> in its <see cref="CompletionCommand"/>:
/// the core then applies the key's limits (<see cref="CompletionFlow.Refusal"/> is its 429).
/// </summary>
public sealed class RequestIdentity(
    IClusterClient cluster, IOptions<AuthOptions> options, AuthFailures failures, UnknownKeyCache unknownKeys, ILogger<RequestIdentity> logger)
{
    public static readonly RequestProblem MissingKey = new(StatusCodes.Status401Unauthorized, "missing_api_key", "Unauthorized",
        "This router needs an API key, sent in the Authorization header (Bearer) or the x-api-key header.");

    public static readonly RequestProblem InvalidKey = new(StatusCodes.Status401Unauthorized, "invalid_api_key", "Unauthorized",
        "The API key is not valid (unknown or revoked).");

    private readonly AuthMode _mode = options.Value.Mode;
    private readonly bool _acceptLegacyKeys = options.Value.AcceptLegacyKeys;

    public AuthMode Mode => _mode;

    /// <summary>The caller of <paramref name="request"/>. A 401 also gets its <c>WWW-Authenticate</c> header here.</summary>
    public async ValueTask<Caller> ResolveAsync(HttpRequest request)
    {
        if (_mode == AuthMode.Open)
        {
            var (userId, problem) = UserIdReader.Read(request);
            return new Caller(userId, null, problem);
        }

        if (failures.Throttled(request.HttpContext) is { } throttled) return Caller.Refused(throttled);
        var key = ApiKeyMaterial.Presented(request);
        if (key is null) return Unauthorized(request, MissingKey, "no key");
        if (!ApiKeyMaterial.LooksLikeKey(key, _acceptLegacyKeys)) return Unauthorized(request, InvalidKey, "malformed key or wrong check");
        var hash = ApiKeyMaterial.Hash(key);
        if (unknownKeys.Contains(hash)) return Unauthorized(request, InvalidKey, "unknown or revoked key (remembered)");

        ApiKeyIdentity? identity;
        try
        {
            identity = await cluster.GetGrain<IApiKeyLookupGrain>(hash).ResolveAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            AuthLog.KeyLookupFailed(logger, ex);
            return Caller.Refused(RequestProblems.ClusterUnavailable);
        }

        if (identity is not null) return new Caller(identity.UserId, identity.KeyId, null);
        unknownKeys.Add(hash);
        return Unauthorized(request, InvalidKey, "unknown or revoked key");
    }

    private Caller Unauthorized(HttpRequest request, RequestProblem problem, string reason)
    {
        AuthLog.KeyRefused(logger, reason);
        failures.Record(request.HttpContext, reason);
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Caller.Refused(problem);
    }
}
