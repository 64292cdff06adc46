using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Router.Benchmarks.Relay;

/// <summary>
/// The router's SSE events, written straight into the response pipe: <c>data:</c> with one JSON object
/// (<c>message</c>, <c>timestamp</c>, <c>user_id</c>, <c>model</c>), the last one adding <c>done: true</c>
/// and the counts. Same writer settings as the router, so both pay the same encoding cost.
/// </summary>
internal sealed class SseEvents(PipeWriter pipe, string userId) : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Utf8JsonWriter _json = new(pipe, Options);

    public void WriteToken(string model, string text)
    {
        Begin(text, model);
        End();
    }

    public void WriteDone(string model, long? promptTokens, long? outputTokens, double processingMs)
    {
        Begin("", model);
        _json.WriteBoolean("done"u8, true);
        WriteNumberOrNull("prompt_tokens"u8, promptTokens);
        WriteNumberOrNull("output_tokens"u8, outputTokens);
        _json.WriteNumber("processing_ms"u8, Math.Round(processingMs, 1));
        End();
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken ct) => pipe.FlushAsync(ct);

    public void Dispose() => _json.Dispose();

    private void Begin(string message, string model)
    {
        pipe.Write("data: "u8);
        _json.Reset(pipe);
        _json.WriteStartObject();
        _json.WriteString("message"u8, message);
        _json.WriteString("timestamp"u8, WholeSecondNow());
        _json.WriteString("user_id"u8, userId);
        _json.WriteString("model"u8, model);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        pipe.Write("\n\n"u8);
    }

    private void WriteNumberOrNull(ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v) _json.WriteNumber(name, v);
        else _json.WriteNull(name);
    }

    /// <summary>The seed's timestamp has whole seconds (<c>2025-05-28T14:19:27Z</c>).</summary>
    private static DateTime WholeSecondNow()
    {
        var ticks = DateTime.UtcNow.Ticks;
        return new DateTime(ticks - ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
