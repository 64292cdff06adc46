using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Router.Benchmarks.Relay;

/// <summary>
/// <c>POST /complete</c> <c>{"message":…}</c>: one streaming <c>/api/chat</c> call to the backend, each
/// NDJSON line relayed as an SSE event in the router's format as soon as it is read.
/// </summary>
internal sealed class ChatRelay(HttpClient http, string model)
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var message = await ReadMessageAsync(context.Request, aborted);
        if (message is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var userId = context.Request.Headers["X-User-Id"].ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = ChatBody(message) };
        // Headers first, body as it comes: the first token is relayed the moment the backend sends it.
        using var backend = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted);
        if (!backend.IsSuccessStatusCode)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(aborted);

        using var sse = new SseEvents(response.BodyWriter, userId.Length > 0 ? userId : "anonymous");
        var reader = PipeReader.Create(await backend.Content.ReadAsStreamAsync(aborted));
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(aborted);
                var buffer = read.Buffer;
                var done = false;
                while (!done && TryReadLine(ref buffer, out var line))
                {
                    done = Relay(sse, line);
                }

                // One flush per backend read: tokens that arrived together leave together.
                await sse.FlushAsync(aborted);
                if (done || read.IsCompleted)
                {
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Writes the SSE event of one NDJSON line; true on the backend's last line.</summary>
    private bool Relay(SseEvents sse, in ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
        {
            return false;
        }

        var chunk = ChatLine.Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
        var lineModel = chunk.Model ?? model;
        if (chunk.Done)
        {
            sse.WriteDone(lineModel, chunk.PromptTokens, chunk.OutputTokens, chunk.TotalNs / 1e6);
            return true;
        }

        if (chunk.Content is { Length: > 0 } text)
        {
            sse.WriteToken(lineModel, text);
        }

        return false;
    }

    private ByteArrayContent ChatBody(string message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ChatRequest(model, [new ChatMessage("user", message)], true), RelayJson.Default.ChatRequest);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        return content;
    }

    private static async Task<string?> ReadMessageAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, RelayJson.Default.CompleteRequest, ct);
            return string.IsNullOrWhiteSpace(body?.Message) ? null : body.Message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }
}
