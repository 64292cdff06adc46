using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>What Ollama's final object reports: token counts as the backend counted them, durations in nanoseconds.</summary>
/// <param name="PromptEvalCount">Null when no backend counted (a model answered with the standard message): the field is left out.</param>
public readonly record struct OllamaFigures(long? PromptEvalCount, long? EvalCount, long TotalNs, long PromptEvalNs, long EvalNs);

/// <summary>
/// Writes Ollama's response objects straight into the response pipe: one JSON object per line while
/// streaming (<c>application/x-ndjson</c>), or the single object of a <c>"stream": false</c> answer.
/// Chat lines carry <c>message</c>, generate lines <c>response</c>; one JSON writer serves the whole response.
/// </summary>
public sealed class OllamaNdjsonWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly PipeWriter _pipe;
    private readonly OllamaOperation _operation;
    private readonly Utf8JsonWriter _json;

    public OllamaNdjsonWriter(PipeWriter pipe, OllamaOperation operation)
    {
        _pipe = pipe;
        _operation = operation;
        _json = new Utf8JsonWriter(pipe, JsonOptions);
    }

    /// <summary>A streamed piece of the answer: <c>"done": false</c>, with thinking and tool calls apart from the text.</summary>
    public void WriteChunk(string model, string text, string? thinking = null, IReadOnlyList<ToolCallDelta>? toolCalls = null)
    {
        Begin(model, text, thinking, toolCalls);
        _json.WriteBoolean("done"u8, false);
        End(newline: true);
    }

    /// <summary>
    /// The final object with the backend's <paramref name="doneReason"/>; <paramref name="answer"/> is
    /// null when streaming (the answer went out in chunks) and the whole answer otherwise.
    /// </summary>
    public void WriteDone(string model, OllamaAnswer? answer, string doneReason, OllamaFigures figures, bool newline, Spend.RequestCost? cost = null)
    {
        if (answer is null) Begin(model, "");
        else Begin(model, answer.Text.ToString(), answer.Thinking.Length > 0 ? answer.Thinking.ToString() : null, answer.ToolCalls);
        _json.WriteBoolean("done"u8, true);
        _json.WriteString("done_reason"u8, doneReason);
        _json.WriteNumber("total_duration"u8, figures.TotalNs);
        // The router loads no model; whatever loading the backend did is inside the prompt evaluation.
        _json.WriteNumber("load_duration"u8, 0);
        if (figures.PromptEvalCount is { } prompt) _json.WriteNumber("prompt_eval_count"u8, prompt);
        _json.WriteNumber("prompt_eval_duration"u8, figures.PromptEvalNs);
        if (figures.EvalCount is { } eval) _json.WriteNumber("eval_count"u8, eval);
        _json.WriteNumber("eval_duration"u8, figures.EvalNs);

        // The router's cost in fields of its own, which Ollama's clients ignore.
        if (cost is { Priced: true })
        {
            _json.WriteNumber("cost"u8, cost.Amount);
            _json.WriteBoolean("cost_estimated"u8, cost.Estimated);
            _json.WriteString("currency"u8, cost.Currency);
        }

        End(newline);
    }

    /// <summary>The answer to a load request: <c>done_reason</c> <c>load</c> and no text.</summary>
    public void WriteLoaded(string model)
    {
        Begin(model, "");
        _json.WriteBoolean("done"u8, true);
        _json.WriteString("done_reason"u8, "load"u8);
        End(newline: false);
    }

    /// <summary>Ollama's error object, <c>{"error": "…"}</c>: the whole body before a stream starts, its last line after.</summary>
    public void WriteError(string message, bool newline)
    {
        _json.Reset(_pipe);
        _json.WriteStartObject();
        _json.WriteString("error"u8, message);
        End(newline);
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => _pipe.FlushAsync(cancellationToken);

    // Field order is Ollama's: message (role, content, thinking, tool_calls), or response and thinking.
    private void Begin(string model, string text, string? thinking = null, IReadOnlyList<ToolCallDelta>? toolCalls = null)
    {
        _json.Reset(_pipe);
        _json.WriteStartObject();
        _json.WriteString("model"u8, model);
        _json.WriteString("created_at"u8, DateTime.UtcNow);
        if (_operation == OllamaOperation.Chat)
        {
            _json.WriteStartObject("message"u8);
            _json.WriteString("role"u8, "assistant"u8);
            _json.WriteString("content"u8, text);
            if (!string.IsNullOrEmpty(thinking)) _json.WriteString("thinking"u8, thinking);
            if (toolCalls is { Count: > 0 }) WriteToolCalls(toolCalls);
            _json.WriteEndObject();
        }
        else
        {
            // /api/generate offers no tools, so its answers have no tool calls.
            _json.WriteString("response"u8, text);
            if (!string.IsNullOrEmpty(thinking)) _json.WriteString("thinking"u8, thinking);
        }
    }

    /// <summary>Ollama's <c>[{"id", "function": {"index", "name", "arguments": {…}}}]</c>: arguments as an object, not a string.</summary>
    private void WriteToolCalls(IReadOnlyList<ToolCallDelta> calls)
    {
        _json.WriteStartArray("tool_calls"u8);
        foreach (var call in calls)
        {
            _json.WriteStartObject();
            if (call.Id is { Length: > 0 } id) _json.WriteString("id"u8, id);
            _json.WriteStartObject("function"u8);
            _json.WriteNumber("index"u8, call.Index);
            _json.WriteString("name"u8, call.Name ?? "");
            _json.WritePropertyName("arguments"u8);
            // Written again rather than raw, so that no line break inside the arguments splits the NDJSON line.
            if (ParseObject(call.Arguments) is { } arguments)
            {
                using (arguments) arguments.RootElement.WriteTo(_json);
            }
            else
            {
                // Not an object (a model's broken output): the client still gets it, as text.
                _json.WriteStringValue(call.Arguments);
            }
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }

    private static JsonDocument? ParseObject(string text)
    {
        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void End(bool newline)
    {
        _json.WriteEndObject();
        _json.Flush();
        if (newline) _pipe.Write("\n"u8);
    }

    public void Dispose() => _json.Dispose();
}
