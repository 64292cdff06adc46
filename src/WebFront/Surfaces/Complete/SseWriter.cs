using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Complete;

/// <summary>
/// Writes the router's SSE events straight into the response pipe. Each event's <c>data:</c> is one
/// JSON object in the original format (<c>message</c>, <c>timestamp</c>, <c>user_id</c>, <c>model</c>);
/// the done and error events add their own fields (all of the done event's from the done item). One JSON writer is reused for the whole stream.
/// </summary>
public sealed class SseWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly PipeWriter _pipe;
    private readonly string _userId;
    private readonly Utf8JsonWriter _json;

    public SseWriter(PipeWriter pipe, string userId)
    {
        _pipe = pipe;
        _userId = userId;
        _json = new Utf8JsonWriter(pipe, JsonOptions);
    }

    /// <summary>
    /// A chunk of generated text. A reasoning model's thinking never goes into <c>message</c>: it
    /// travels in a <c>reasoning</c> field of its own, so a client that prints <c>message</c> shows
    /// only the answer.
    /// </summary>
    public void WriteToken(string model, string text, string? reasoning = null)
    {
        BeginData();
        WriteCommon(text, model);
        if (reasoning is not null) _json.WriteString("reasoning"u8, reasoning);
        EndData();
    }

    /// <summary>
    /// The terminal success event: <c>done: true</c> and the completion's figures, with what it cost:
    /// <c>cost</c> in <c>currency</c>, <c>cost_estimated</c> when a count behind it is the router's own,
    /// <c>priced: false</c> when the model has no price (its cost is 0).
    /// </summary>
    public void WriteDone(string model, Guid requestId, CompletionSummary summary, Spend.RequestCost? cost = null)
    {
        BeginData();
        WriteCommon("", model);
        _json.WriteBoolean("done"u8, true);
        _json.WriteString("request_id"u8, requestId);
        if (summary.Category is null) _json.WriteNull("category"u8);
        else _json.WriteString("category"u8, summary.Category);
        WriteNumberOrNull("prompt_tokens"u8, summary.PromptTokens);
        WriteNumberOrNull("output_tokens"u8, summary.OutputTokens);
        _json.WriteNumber("processing_ms"u8, summary.ProcessingMs);
        if (summary.FinishReason is { } finish) _json.WriteString("finish_reason"u8, finish);
        if (summary.CachedInputTokens is { } cached) _json.WriteNumber("cached_tokens"u8, cached);
        if (cost is not null)
        {
            _json.WriteNumber("cost"u8, cost.Amount);
            _json.WriteBoolean("cost_estimated"u8, cost.Estimated);
            _json.WriteString("currency"u8, cost.Currency);
            if (!cost.Priced) _json.WriteBoolean("priced"u8, false);
        }

        EndData();
    }

    /// <summary>The terminal failure event: <c>event: error</c>, a short code and a human message.</summary>
    public void WriteError(string model, Guid requestId, string code, string message)
    {
        _pipe.Write("event: error\n"u8);
        BeginData();
        WriteCommon(message, model);
        _json.WriteString("error"u8, code);
        _json.WriteString("request_id"u8, requestId);
        EndData();
    }

    /// <summary>
    /// The SSE <c>id:</c> of the event that follows: the item's sequence number, which a client sends
    /// back as <c>Last-Event-ID</c> to resume after it.
    /// </summary>
    public void WriteId(int id)
    {
        var span = _pipe.GetSpan(16);
        "id: "u8.CopyTo(span);
        id.TryFormat(span[4..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        span[4 + digits] = (byte)'\n';
        _pipe.Advance(5 + digits);
    }

    /// <summary>An SSE comment (no <c>id:</c>) that keeps idle connections open through proxies.</summary>
    public void WriteKeepAlive() => _pipe.Write(": keep-alive\n\n"u8);

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => _pipe.FlushAsync(cancellationToken);

    private void BeginData()
    {
        _pipe.Write("data: "u8);
        _json.Reset(_pipe);
        _json.WriteStartObject();
    }

    private void EndData()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }

    private void WriteCommon(string message, string model)
    {
        _json.WriteString("message"u8, message);
        _json.WriteString("timestamp"u8, WholeSecondNow());
        _json.WriteString("user_id"u8, _userId);
        _json.WriteString("model"u8, model);
    }

    private void WriteNumberOrNull(ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v) _json.WriteNumber(name, v);
        else _json.WriteNull(name);
    }

    /// <summary>UTC now without its fraction, which System.Text.Json writes as <c>2025-05-28T14:19:27Z</c>.</summary>
    internal static DateTime WholeSecondNow()
    {
        var ticks = DateTime.UtcNow.Ticks;
        return new DateTime(ticks - ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    public void Dispose() => _json.Dispose();
}
