using System.Text;
using System.Text.Json;

namespace Router.Testing;

/// <summary>
/// Opens an answer of <c>POST /complete</c> or of its resume (<c>GET /complete/{id}</c> with
/// <c>Last-Event-ID</c>) as an <see cref="SseStream"/>, whose events carry their SSE ids.
/// </summary>
public static class CompleteStream
{
    /// <summary>Posts a prompt; <paramref name="cancellationToken"/> bounds the whole read.</summary>
    public static async Task<SseStream> PostAsync(HttpClient http, string message, string? userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complete")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json"),
        };
        if (userId is not null) request.Headers.TryAddWithoutValidation("X-User-Id", userId);
        return await SseClient.OpenAsync(http, request, cancellationToken);
    }

    /// <summary>Resumes an answer after the event <paramref name="lastEventId"/> (none: from its start). Check <see cref="SseStream.Response"/>'s status.</summary>
    public static async Task<SseStream> ResumeAsync(HttpClient http, string requestId, int? lastEventId, string? userId, CancellationToken cancellationToken)
    {
        using var request = ResumeRequest(requestId, lastEventId, userId);
        return await SseClient.OpenAsync(http, request, cancellationToken);
    }

    /// <summary>The resume request, for a test that wants the plain response (a 404, say).</summary>
    public static HttpRequestMessage ResumeRequest(string requestId, int? lastEventId, string? userId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/complete/{requestId}");
        if (lastEventId is { } id) request.Headers.TryAddWithoutValidation("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (userId is not null) request.Headers.TryAddWithoutValidation("X-User-Id", userId);
        return request;
    }

    /// <summary>Opens any request whose answer is <c>/complete</c>'s event stream (one with a key, say).</summary>
    public static Task<SseStream> OpenAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken) =>
        SseClient.OpenAsync(http, request, cancellationToken);
}
