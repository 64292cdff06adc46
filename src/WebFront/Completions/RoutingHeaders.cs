using System.Globalization;

namespace Router.WebFront.Completions;

/// <summary>The routing decision as response headers, the same on every surface.</summary>
public static class RoutingHeaders
{
    /// <summary>A 200 whose body streams: the content type, and no caching or proxy buffering on the way.</summary>
    public static void BeginStream(HttpResponse response, string contentType)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public static void Write(HttpResponse response, CompletionFlow flow)
    {
        var headers = response.Headers;
        headers["x-request-id"] = flow.RequestId.ToString();
        if (flow.Limits is { } limits) Auth.RateLimitHeaders.Write(response, limits);
        var ticket = flow.Ticket;
        if (ticket.Error is not null) return;
        headers["x-router-model"] = ticket.Model;
        if (ticket.Category is { } category) headers["x-router-category"] = category;
        if (ticket.Confidence is { } confidence) headers["x-router-confidence"] = confidence.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
