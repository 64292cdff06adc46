using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Router.Testing;

/// <summary>One server-sent event as received: its type, its JSON data and its SSE <c>id:</c> (null when it has none).</summary>
public sealed record SseEvent(string EventType, JsonElement Data, int? Id = null)
{
    public string Message => Data.GetProperty("message").GetString() ?? "";

    public bool IsDone => Data.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True;

    public bool IsError => EventType == "error";

    public string? ErrorCode => Data.TryGetProperty("error", out var e) ? e.GetString() : null;
}

/// <summary>Posts to <c>/complete</c> and opens the answer as an SSE stream.</summary>
public static class SseClient
{
    public static async Task<SseStream> PostAsync(HttpClient http, string message, string? userId = null, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new { message });
        return await PostRawAsync(http, body, "application/json", userId, cancellationToken);
    }

    public static async Task<SseStream> PostRawAsync(HttpClient http, string body, string? contentType, string? userId = null, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(http, body, contentType, userId, cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SseStream(response, stream, cancellationToken);
    }

    /// <summary>Sends any request (its own headers, any surface) and opens the answer as an SSE stream.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SseStream(response, stream, cancellationToken);
    }

    /// <summary>Posts a raw body and returns the response with its headers read, for problem checks.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, string body, string? contentType, string? userId = null, CancellationToken cancellationToken = default) =>
        SendAsync(http, new StringContent(body, Encoding.UTF8), contentType, userId, cancellationToken);

    /// <summary>Posts body bytes as they are, valid UTF-8 or not.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, byte[] body, string? contentType, string? userId = null, CancellationToken cancellationToken = default) =>
        SendAsync(http, new ByteArrayContent(body), contentType, userId, cancellationToken);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpContent content, string? contentType, string? userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complete") { Content = content };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        if (userId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-User-Id", userId);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
