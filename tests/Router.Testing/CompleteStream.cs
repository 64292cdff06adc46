using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace Router.Testing;

/// <summary>One event of <c>/complete</c> as <see cref="SseParser"/> reads it: its SSE id, type and JSON data.</summary>
public sealed record CompleteEvent(int? Id, string EventType, JsonElement Data)
{
    public string Message => Data.GetProperty("message").GetString() ?? "";

    public bool IsDone => Data.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True;

    public bool IsError => EventType == "error";

    public string? ErrorCode => Data.TryGetProperty("error", out var e) ? e.GetString() : null;
}

/// <summary>
/// An answer of <c>POST /complete</c> or of its resume (<c>GET /complete/{id}</c> with
/// <c>Last-Event-ID</c>), read event by event with the platform's SSE parser.
/// </summary>
public sealed class CompleteStream : IAsyncDisposable
{
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private CompleteStream(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        Response = response;
        _items = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public HttpResponseMessage Response { get; }

    /// <summary>The answer's request id (the <c>x-request-id</c> header).</summary>
    public string RequestId => Response.Headers.GetValues("x-request-id").Single();

    /// <summary>Posts a prompt; <paramref name="cancellationToken"/> bounds the whole read.</summary>
    public static async Task<CompleteStream> PostAsync(HttpClient http, string message, string? userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/complete")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json"),
        };
        if (userId is not null) request.Headers.TryAddWithoutValidation("X-User-Id", userId);
        return await OpenAsync(http, request, cancellationToken);
    }

    /// <summary>Resumes an answer after the event <paramref name="lastEventId"/> (none: from its start). Check <see cref="Response"/>'s status.</summary>
    public static async Task<CompleteStream> ResumeAsync(HttpClient http, string requestId, int? lastEventId, string? userId, CancellationToken cancellationToken)
    {
        using var request = ResumeRequest(requestId, lastEventId, userId);
        return await OpenAsync(http, request, cancellationToken);
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
    public static async Task<CompleteStream> OpenAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new CompleteStream(response, body, cancellationToken);
    }

    /// <summary>The next event, or null when the response ended.</summary>
    public async Task<CompleteEvent?> NextAsync()
    {
        if (!await _items.MoveNextAsync()) return null;
        var item = _items.Current;
        using var data = JsonDocument.Parse(item.Data);
        int? id = item.EventId is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new CompleteEvent(id, item.EventType, data.RootElement.Clone());
    }

    /// <summary>Every event up to the end of the response.</summary>
    public async Task<List<CompleteEvent>> ReadToEndAsync()
    {
        var events = new List<CompleteEvent>();
        while (await NextAsync() is { } e) events.Add(e);
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
        {
            // The test dropped the connection on purpose.
        }

        Response.Dispose();
    }
}
