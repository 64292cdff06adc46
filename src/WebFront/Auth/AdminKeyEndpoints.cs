using Microsoft.Extensions.Options;
using Router.Grains.Interfaces.Keys;
using Router.WebFront.Completions;
using Router.WebFront.Diagnostics;

namespace Router.WebFront.Auth;

/// <summary>
/// The key management API under <c>/admin/keys</c>, guarded by <c>Auth:AdminKey</c>: create (the
/// key is shown once, in the answer), list, get, change limits, revoke.
/// </summary>
public static class AdminKeyEndpoints
{
    private static readonly RequestProblem NotFound = new(StatusCodes.Status404NotFound, "key_not_found", "Not found", "There is no API key with this id.");

    public static IEndpointRouteBuilder MapAdminKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/admin/keys").AddEndpointFilter<AdminKeyFilter>();
        keys.MapPost("", CreateAsync).WithName("CreateKey").WithSummary("Creates an API key for a user; the answer is the only place the key appears.");
        keys.MapGet("", ListAsync).WithName("ListKeys");
        keys.MapGet("/{id}", GetAsync).WithName("GetKey");
        keys.MapPatch("/{id}", PatchAsync).WithName("PatchKey").WithSummary("Changes a key's limits (merge patch: null removes a limit).");
        keys.MapDelete("/{id}", DeleteAsync).WithName("RevokeKey").WithSummary("Revokes a key on every web front at once.");
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IClusterClient cluster, AdminAudit audit)
    {
        var (body, problem) = await AdminKeyJson.ReadAsync(request);
        if (problem is not null) return problem.ToResult();
        var (userId, userProblem) = AdminKeyJson.UserId(body);
        if (userProblem is not null) return userProblem.ToResult();
        var (limits, limitsProblem) = AdminKeyJson.Limits(body, KeyLimits.None);
        if (limitsProblem is not null) return limitsProblem.ToResult();

        var key = ApiKeyMaterial.NewKey();
        var id = ApiKeyMaterial.NewId();
        var created = await cluster.GetGrain<IApiKeyGrain>(id).CreateAsync(new ApiKeySpec(userId!, ApiKeyMaterial.Hash(key), limits!), request.HttpContext.RequestAborted);
        if (created is null) throw new InvalidOperationException("A freshly drawn key id was already taken.");
        audit.Changed(request.HttpContext, id, $"created for user {userId}");
        return TypedResults.Created($"/admin/keys/{id}", new { id, key });
    }

    private static async Task<IResult> ListAsync(IClusterClient cluster, HttpContext context)
    {
        var ids = await cluster.GetGrain<IApiKeyRegistryGrain>(IApiKeyRegistryGrain.Name).ListAsync(context.RequestAborted);
        var keys = await Task.WhenAll(ids.Select(id => cluster.GetGrain<IApiKeyGrain>(id).GetAsync(context.RequestAborted).AsTask()));
        return TypedResults.Json(new { keys = keys.OfType<ApiKeyDetails>().Select(AdminKeyJson.View) });
    }

    private static async Task<IResult> GetAsync(string id, IClusterClient cluster, HttpContext context)
    {
        var key = await cluster.GetGrain<IApiKeyGrain>(id).GetAsync(context.RequestAborted);
        return key is null ? NotFound.ToResult() : TypedResults.Json(AdminKeyJson.View(key));
    }

    private static async Task<IResult> PatchAsync(string id, HttpRequest request, IClusterClient cluster, AdminAudit audit)
    {
        var grain = cluster.GetGrain<IApiKeyGrain>(id);
        var current = await grain.GetAsync(request.HttpContext.RequestAborted);
        if (current is null) return NotFound.ToResult();
        var (body, problem) = await AdminKeyJson.ReadAsync(request);
        if (problem is not null) return problem.ToResult();
        var (limits, limitsProblem) = AdminKeyJson.Limits(body, current.Limits);
        if (limitsProblem is not null) return limitsProblem.ToResult();

        var updated = await grain.SetLimitsAsync(limits!, request.HttpContext.RequestAborted);
        audit.Changed(request.HttpContext, id, "limits changed");
        return updated is null ? NotFound.ToResult() : TypedResults.Json(AdminKeyJson.View(updated));
    }

    private static async Task<IResult> DeleteAsync(string id, IClusterClient cluster, HttpContext context, AdminAudit audit)
    {
        var revoked = await cluster.GetGrain<IApiKeyGrain>(id).RevokeAsync(context.RequestAborted);
        if (revoked is null) return NotFound.ToResult();
        audit.Changed(context, id, "revoked");
        return TypedResults.NoContent();
    }
}

/// <summary>
/// Lets through only requests with the admin key (none is a 401, another key a 403), at most
/// <c>Auth:AdminRequestsPerMinute</c> per client address, and records each one it lets through.
/// </summary>
internal sealed class AdminKeyFilter(IOptions<AuthOptions> options, AuthFailures failures, AdminAudit audit, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    private static readonly RequestProblem Disabled = new(StatusCodes.Status403Forbidden, "admin_disabled", "Forbidden",
        "The admin API is off: set Auth:AdminKey to use it.");

    private static readonly RequestProblem Missing = new(StatusCodes.Status401Unauthorized, "missing_admin_key", "Unauthorized",
        "The admin API needs the admin key in the Authorization header (Bearer).");

    private static readonly RequestProblem Wrong = new(StatusCodes.Status403Forbidden, "invalid_admin_key", "Forbidden",
        "This key may not use the admin API.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (options.Value.AdminKey is not { Length: > 0 } adminKey) return Refuse(http, Disabled, "disabled");
        // A guesser of the admin key is throttled like a guesser of API keys.
        if (failures.Throttled(http) is { } throttled) return Refuse(http, throttled, "too many failed authentications");
        if (audit.Throttled(http) is { } busy) return Refuse(http, busy, "too many admin requests");
        var presented = ApiKeyMaterial.Presented(http.Request);
        if (presented is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            failures.Record(http, "no admin key");
            return Refuse(http, Missing, "no admin key");
        }

        if (ApiKeyMaterial.SecretEquals(presented, adminKey))
        {
            audit.Admitted(http, adminKey);
            return await next(context);
        }

        failures.Record(http, "wrong admin key");
        return Refuse(http, Wrong, "wrong admin key");
    }

    private IResult Refuse(HttpContext http, RequestProblem problem, string reason)
    {
        AuthLog.AdminRefused(logger, reason, ClientAddress.Of(http));
        return problem.ToResult();
    }
}
