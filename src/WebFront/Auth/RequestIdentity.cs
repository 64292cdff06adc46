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
/// <c>X-User-Id</c>. Keys are not cached here: each request asks the key's lookup grain, so a
/// revocation holds on every web front as soon as it returns.
/// A surface calls <c>var (userId, keyId, problem) = await identity.ResolveAsync(request)</c>, answers
/// <c>problem</c> in its own error shape, and passes <c>keyId</c> in its <see cref="CompletionCommand"/>:
/// the core then applies the key's limits (<see cref="CompletionFlow.Refusal"/> is its 429).
/// </summary>
public sealed class RequestIdentity(IClusterClient cluster, IOptions<AuthOptions> options, ILogger<RequestIdentity> logger)
{
    public static readonly RequestProblem MissingKey = new(StatusCodes.Status401Unauthorized, "missing_api_key", "Unauthorized",
        "This router needs an API key, sent in the Authorization header (Bearer) or the x-api-key header.");

    public static readonly RequestProblem InvalidKey = new(StatusCodes.Status401Unauthorized, "invalid_api_key", "Unauthorized",
        "The API key is not valid (unknown or revoked).");

    private readonly AuthMode _mode = options.Value.Mode;

    public AuthMode Mode => _mode;

    /// <summary>The caller of <paramref name="request"/>. A 401 also gets its <c>WWW-Authenticate</c> header here.</summary>
    public async ValueTask<Caller> ResolveAsync(HttpRequest request)
    {
        if (_mode == AuthMode.Open)
        {
            var (userId, problem) = UserIdReader.Read(request);
            return new Caller(userId, null, problem);
        }

        var key = ApiKeyMaterial.Presented(request);
        if (key is null) return Unauthorized(request, MissingKey, "missing");
        if (!ApiKeyMaterial.LooksLikeKey(key)) return Unauthorized(request, InvalidKey, "malformed");

        ApiKeyIdentity? identity;
        try
        {
            identity = await cluster.GetGrain<IApiKeyLookupGrain>(ApiKeyMaterial.Hash(key)).ResolveAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            AuthLog.KeyLookupFailed(logger, ex);
            return Caller.Refused(RequestProblems.ClusterUnavailable);
        }

        return identity is null
            ? Unauthorized(request, InvalidKey, "unknown or revoked")
            : new Caller(identity.UserId, identity.KeyId, null);
    }

    private Caller Unauthorized(HttpRequest request, RequestProblem problem, string reason)
    {
        AuthLog.KeyRefused(logger, reason);
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Caller.Refused(problem);
    }
}
