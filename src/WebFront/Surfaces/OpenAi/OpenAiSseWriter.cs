using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>
/// Writes OpenAI's streaming chat format into the response pipe: <c>chat.completion.chunk</c> events,
/// an optional usage chunk, <c>data: [DONE]</c>; or a final <c>data: {"error": …}</c> and no <c>[DONE]</c>.
/// </summary>
internal sealed class OpenAiSseWriter(PipeWriter pipe, string id, long created) : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private readonly Utf8JsonWriter _json = new(pipe, JsonOptions);

    /// <summary>A chunk with a delta: the role (first chunk), content, or nothing with a finish reason (last).</summary>
    public void WriteDelta(string model, string? role, string? content, string? finishReason)
    {
        Begin(model);
        _json.WriteStartArray("choices"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("delta"u8);
        if (role is not null) _json.WriteString("role"u8, role);
        if (content is not null) _json.WriteString("content"u8, content);
        _json.WriteEndObject();
        if (finishReason is null) _json.WriteNull("finish_reason"u8);
        else _json.WriteString("finish_reason"u8, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        End();
    }

    /// <summary>The usage chunk sent when <c>stream_options.include_usage</c> is set: no choices.</summary>
    public void WriteUsage(string model, CompletionSummary summary)
    {
        Begin(model);
        _json.WriteStartArray("choices"u8);
        _json.WriteEndArray();
        WriteUsageObject(_json, summary);
        End();
    }

    public void WriteDone() => pipe.Write("data: [DONE]\n\n"u8);

    public void WriteError(OpenAiError error)
    {
        pipe.Write("data: "u8);
        _json.Reset(pipe);
        WriteErrorObject(_json, error);
        _json.Flush();
        pipe.Write("\n\n"u8);
    }

    public void WriteKeepAlive() => pipe.Write(": keep-alive\n\n"u8);

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => pipe.FlushAsync(cancellationToken);

    internal static void WriteUsageObject(Utf8JsonWriter json, CompletionSummary summary)
    {
        var prompt = summary.PromptTokens ?? 0;
        var output = summary.OutputTokens ?? 0;
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, prompt);
        json.WriteNumber("completion_tokens"u8, output);
        json.WriteNumber("total_tokens"u8, prompt + output);
        json.WriteEndObject();
    }

    internal static void WriteErrorObject(Utf8JsonWriter json, OpenAiError error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, error.Message);
        json.WriteString("type"u8, error.Type);
        if (error.Param is null) json.WriteNull("param"u8);
        else json.WriteString("param"u8, error.Param);
        if (error.Code is null) json.WriteNull("code"u8);
        else json.WriteString("code"u8, error.Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private void Begin(string model)
    {
        pipe.Write("data: "u8);
        _json.Reset(pipe);
        _json.WriteStartObject();
        _json.WriteString("id"u8, id);
        _json.WriteString("object"u8, "chat.completion.chunk"u8);
        _json.WriteNumber("created"u8, created);
        _json.WriteString("model"u8, model);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        pipe.Write("\n\n"u8);
    }

    public void Dispose() => _json.Dispose();
}
