using Router.WebFront.Auth;
using Router.WebFront.Completions;

namespace Router.WebFront.Console;

/// <summary>
/// Lets the console's pages call the router's own APIs with the signed-in key: a request to
/// <c>/console/api/v1/…</c> or <c>/console/api/admin/…</c> carrying the session cookie goes on as
/// <c>/v1/…</c> or <c>/admin/…</c> with that key as its bearer token, and from there meets exactly
/// the checks a client meets (a key holder's call to <c>/admin</c> is the admin API's 403). Runs
/// before routing, so the rewritten path picks its endpoint. The cookie is read nowhere else: the
/// public APIs never act on a browser's cookie.
/// </summary>
public sealed class ConsoleGateway(RequestDelegate next, ConsoleSessions sessions)
{
    public const string Prefix = "/console/api";

    private static readonly string[] Forwarded = ["/v1", "/admin"];

    private static readonly RequestProblem NoSession = new(StatusCodes.Status401Unauthorized, "console_signed_out", "Unauthorized",
        "Sign in to the console first (the session is missing or has expired).");

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Prefix, out var rest) || !Forwarded.Any(p => rest.StartsWithSegments(p)))
        {
            await next(context);
            return;
        }

        if (await sessions.FindAsync(context) is not { } session)
        {
            await NoSession.ToResult().ExecuteAsync(context);
            return;
        }

        if (ConsoleCsrf.Check(context, session) is { } refused)
        {
            await refused.ToResult().ExecuteAsync(context);
            return;
        }

        var headers = context.Request.Headers;
        headers.Remove("x-api-key");
        headers.Authorization = "Bearer " + session.Key;
        context.Request.Path = rest;
        await next(context);
    }
}

/// <summary>
/// Cross-site request checks for the console's state-changing calls: the browser's <c>Origin</c>
/// must be this router's own (browsers always send it on POST, PATCH and DELETE from script), and
/// the <c>X-Console-Csrf</c> header must carry the session's token, which only a page of this origin
/// can read. SameSite=Strict on the cookie is a third fence, not the only one.
/// </summary>
public static class ConsoleCsrf
{
    public const string Header = "X-Console-Csrf";

    private static readonly RequestProblem CrossSite = new(StatusCodes.Status403Forbidden, "console_cross_site", "Forbidden",
        "Console changes must come from the console's own pages (Origin and X-Console-Csrf).");

    public static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>Null when the call may go on; <paramref name="session"/> null checks the origin only (sign-in).</summary>
    public static RequestProblem? Check(HttpContext context, ConsoleSession? session)
    {
        var request = context.Request;
        if (IsSafe(request.Method)) return null;
        var origin = request.Headers.Origin.ToString();
        if (!string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase)) return CrossSite;
        if (session is null) return null;
        var token = request.Headers[Header].ToString();
        return token.Length > 0 && ApiKeyMaterial.SecretEquals(token, session.CsrfToken) ? null : CrossSite;
    }
}
