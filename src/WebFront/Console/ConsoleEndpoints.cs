using Microsoft.Extensions.Options;
using Router.WebFront.Auth;
using Router.WebFront.Completions;

namespace Router.WebFront.Console;

/// <summary>
/// <c>/console</c>: the console's files, and its session (<c>POST /console/api/session</c> signs in
/// with the key in the Authorization header, <c>GET</c> says who is signed in and hands the page its
/// CSRF token, <c>DELETE</c> signs out). Everything else the console does goes through
/// <see cref="ConsoleGateway"/> to the router's own APIs.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>No inline script or style, nothing from elsewhere, never framed.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly RequestProblem NotFound = new(StatusCodes.Status404NotFound, "not_found", "Not found", "There is no such console file.");

    private static readonly RequestProblem BadKey = new(StatusCodes.Status401Unauthorized, "console_bad_key", "Unauthorized",
        "This key is neither the admin key nor a live API key of this router.");

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/{file?}", ServeFile).ExcludeFromDescription();
        var session = app.MapGroup("/console/api/session");
        session.MapPost("", SignInAsync).WithName("ConsoleSignIn");
        session.MapGet("", CurrentAsync).WithName("ConsoleSession");
        session.MapDelete("", SignOutAsync).WithName("ConsoleSignOut");
        return app;
    }

    private static IResult ServeFile(string? file, HttpContext context, ConsoleAssets assets)
    {
        // Routing matches /console and /console/ alike; the page's relative links need the slash.
        if (string.IsNullOrEmpty(file) && context.Request.Path.Value?.EndsWith('/') != true) return TypedResults.Redirect("/console/");
        if (!assets.TryGet(string.IsNullOrEmpty(file) ? "index.html" : file, out var body, out var contentType)) return NotFound.ToResult();
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return TypedResults.Bytes(body, contentType);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ConsoleSessions sessions, RequestIdentity identity, IOptions<AuthOptions> options, AuthFailures failures)
    {
        if (ConsoleCsrf.Check(context, null) is { } crossSite) return crossSite.ToResult();
        if (failures.Throttled(context) is { } throttled) return throttled.ToResult();
        var key = ApiKeyMaterial.Presented(context.Request);
        if (string.IsNullOrEmpty(key)) return BadKey.ToResult();

        ConsoleSession session;
        if (options.Value.AdminKey is { Length: > 0 } admin && ApiKeyMaterial.SecretEquals(key, admin))
        {
            session = await sessions.CreateAsync(key, ConsoleRole.Operator, null, null, context.RequestAborted);
        }
        else if (identity.Mode == AuthMode.Keys)
        {
            var (userId, keyId, problem) = await identity.ResolveAsync(context.Request);
            if (problem is not null || userId is null) return (problem?.Status == StatusCodes.Status401Unauthorized ? BadKey : problem ?? BadKey).ToResult();
            session = await sessions.CreateAsync(key, ConsoleRole.KeyHolder, userId, keyId, context.RequestAborted);
        }
        else
        {
            failures.Record(context, "console sign-in with a key that is not the admin key (Open mode)");
            return BadKey.ToResult();
        }

        context.Response.Cookies.Append(ConsoleSessions.CookieName, session.Id, Cookie(context, ConsoleSessions.IdleTimeout));
        return TypedResults.Json(View(session));
    }

    private static async Task<IResult> CurrentAsync(HttpContext context, ConsoleSessions sessions) =>
        await sessions.FindAsync(context) is { } session ? TypedResults.Json(View(session)) : TypedResults.Problem(statusCode: 401, title: "Signed out", extensions: new Dictionary<string, object?> { ["code"] = "console_signed_out" });

    private static async Task<IResult> SignOutAsync(HttpContext context, ConsoleSessions sessions)
    {
        var session = await sessions.FindAsync(context);
        if (ConsoleCsrf.Check(context, session) is { } crossSite) return crossSite.ToResult();
        if (session is not null) await sessions.EndAsync(session, context.RequestAborted);
        context.Response.Cookies.Delete(ConsoleSessions.CookieName, Cookie(context, null));
        return TypedResults.NoContent();
    }

    private static CookieOptions Cookie(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/console",
        MaxAge = maxAge,
        IsEssential = true,
    };

    private static object View(ConsoleSession session) => new
    {
        role = session.Role == ConsoleRole.Operator ? "operator" : "key_holder",
        user_id = session.UserId,
        key_id = session.KeyId,
        csrf_token = session.CsrfToken,
    };
}
