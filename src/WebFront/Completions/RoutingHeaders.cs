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

    /// <summary>A header value in printable ASCII: anything else is percent-escaped.</summary>
    public static string AsciiHeader(string value) =>
        value.All(c => c is >= ' ' and <= '~') ? value : Uri.EscapeDataString(value);

    public static void Write(HttpResponse response, CompletionFlow flow)
    {
        var headers = response.Headers;
        headers["x-request-id"] = flow.RequestIdText;
        if (flow.Limits is { } limits) Auth.RateLimitHeaders.Write(response, limits);
        var ticket = flow.Ticket;
        if (ticket.Error is not null) return;
        headers["x-router-model"] = ticket.Model;
        if (ticket.Category is { } category) headers["x-router-category"] = category;
        if (ticket.Confidence is { } confidence) headers["x-router-confidence"] = confidence.ToString("0.###", CultureInfo.InvariantCulture);

        // Header values must be ASCII: the reason names models and capabilities, never client text.
        if (ticket.RoutingReason is { } reason) headers["x-router-reason"] = AsciiHeader(reason);
        if (ticket.Sticky) headers["x-router-sticky"] = "true";
    }
}
