using Microsoft.Extensions.Primitives;
using Router.WebFront.Completions;

namespace Router.WebFront.Hosting;

/// <summary>
/// Keeps web pages from driving the router through a user's browser. A request whose <c>Host</c> is
/// not in <c>AllowedHosts</c> is a 400 (a page that rebinds its own name to 127.0.0.1 still sends its
/// name); a request with an <c>Origin</c> that is neither the router's own nor in
/// <c>Cors:AllowedOrigins</c> is a 403 (browsers send <c>Origin</c> on every cross-site POST).
/// Clients that are not browsers send no <c>Origin</c> and pass. Errors come in the surface's shape.
/// </summary>
public sealed partial class RequestOriginGuard(RequestDelegate next, BrowserAccess access, ILogger<RequestOriginGuard> logger)
{
    private static readonly RequestProblem BadHost = new(StatusCodes.Status400BadRequest, "invalid_host", "Invalid host",
        "The Host header names a host this router does not answer for (see AllowedHosts).");

    private static readonly RequestProblem ForeignOrigin = new(StatusCodes.Status403Forbidden, "origin_not_allowed", "Forbidden",
        "Requests from this web origin are not allowed (see Cors:AllowedOrigins).");

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!access.HostAllowed(request.Host))
        {
            LogRefused(logger, "host", request.Host.Value ?? "");
            return SurfaceRefusals.WriteAsync(context, BadHost);
        }

        var origin = request.Headers.Origin;
        if (!StringValues.IsNullOrEmpty(origin) && !access.OriginAllowed(origin.ToString(), request))
        {
            LogRefused(logger, "origin", origin.ToString());
            return SurfaceRefusals.WriteAsync(context, ForeignOrigin);
        }

        return next(context);
    }

    [LoggerMessage(2601, LogLevel.Information, "Request refused: {What} {Value} is not allowed")]
    private static partial void LogRefused(ILogger logger, string what, string value);
}
