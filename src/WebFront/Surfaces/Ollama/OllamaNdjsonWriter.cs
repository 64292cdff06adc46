using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

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

    /// <summary>A streamed piece of the answer: <c>"done": false</c>.</summary>
    public void WriteChunk(string model, string text)
    {
        Begin(model, text);
        _json.WriteBoolean("done"u8, false);
        End(newline: true);
    }

    /// <summary>The final object; <paramref name="text"/> is empty when streaming and the whole answer otherwise.</summary>
    public void WriteDone(string model, string text, OllamaFigures figures, bool newline)
    {
        Begin(model, text);
        _json.WriteBoolean("done"u8, true);
        _json.WriteString("done_reason"u8, "stop"u8);
        _json.WriteNumber("total_duration"u8, figures.TotalNs);
        // The router loads no model; whatever loading the backend did is inside the prompt evaluation.
        _json.WriteNumber("load_duration"u8, 0);
        if (figures.PromptEvalCount is { } prompt) _json.WriteNumber("prompt_eval_count"u8, prompt);
        _json.WriteNumber("prompt_eval_duration"u8, figures.PromptEvalNs);
        if (figures.EvalCount is { } eval) _json.WriteNumber("eval_count"u8, eval);
        _json.WriteNumber("eval_duration"u8, figures.EvalNs);
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

    private void Begin(string model, string text)
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
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteString("response"u8, text);
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
