using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Router.Testing;

/// <summary>One server-sent event as received, with the moment it arrived.</summary>
public sealed record SseEvent(string EventType, JsonElement Data, TimeSpan ArrivedAfter)
{
    public string Message => Data.GetProperty("message").GetString() ?? "";

    public bool IsDone => Data.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True;

    public bool IsError => EventType == "error";

    public string? ErrorCode => Data.TryGetProperty("error", out var e) ? e.GetString() : null;
}

/// <summary>An open SSE response that is read event by event.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly long _started;

    public SseStream(HttpResponseMessage response, Stream body, long started)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
        _started = started;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>SSE comments seen so far (keep-alives).</summary>
    public int Comments { get; private set; }

    /// <summary>Comments seen before the first event.</summary>
    public int CommentsBeforeFirstEvent { get; private set; }

    private bool _sawEvent;

    /// <summary>The next event, or null when the response ended.</summary>
    public async Task<SseEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? eventType = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data.Length == 0) continue;
                _sawEvent = true;
                using var doc = JsonDocument.Parse(data.ToString());
                return new SseEvent(eventType ?? "message", doc.RootElement.Clone(), Stopwatch.GetElapsedTime(_started));
            }

            if (line.StartsWith(':'))
            {
                Comments++;
                if (!_sawEvent) CommentsBeforeFirstEvent++;
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal)) eventType = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..].TrimStart());
        }
    }

    /// <summary>Every event up to the end of the response.</summary>
    public async Task<List<SseEvent>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var events = new List<SseEvent>();
        while (await NextAsync(cancellationToken) is { } e)
        {
            events.Add(e);
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
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
        var started = Stopwatch.GetTimestamp();
        var response = await SendAsync(http, body, contentType, userId, cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SseStream(response, stream, started);
    }

    /// <summary>Sends any request (its own headers, any surface) and opens the answer as an SSE stream.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SseStream(response, stream, started);
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
