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

    /// <summary>JSON as OpenAI writes it: quotes and apostrophes as they are (control characters and quotes still escaped).</summary>
    internal static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Utf8JsonWriter _json = new(pipe, JsonOptions);

    /// <summary>The first chunk: the role, with empty content.</summary>
    public void WriteRole(string model)
    {
        BeginDelta(model);
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("content"u8, ""u8);
        EndDelta(null);
    }

    /// <summary>A piece of the answer's text.</summary>
    public void WriteContent(string model, string text)
    {
        BeginDelta(model);
        _json.WriteString("content"u8, text);
        EndDelta(null);
    }

    /// <summary>A piece of a reasoning model's thinking, in a chunk of its own: never mixed into <c>content</c>.</summary>
    public void WriteReasoning(string model, string text)
    {
        BeginDelta(model);
        _json.WriteString("reasoning_content"u8, text);
        EndDelta(null);
    }

    /// <summary>
    /// Tool calls or pieces of them: a call's first piece has its id, type and name; later pieces of
    /// the same <c>index</c> carry only more of <c>function.arguments</c>.
    /// </summary>
    public void WriteToolCalls(string model, IReadOnlyList<ToolCallDelta> calls)
    {
        BeginDelta(model);
        _json.WriteStartArray("tool_calls"u8);
        foreach (var call in calls) WriteToolCall(_json, call);
        _json.WriteEndArray();
        EndDelta(null);
    }

    /// <summary>The last chunk of the choice: an empty delta with the finish reason.</summary>
    public void WriteFinish(string model, string finishReason)
    {
        BeginDelta(model);
        EndDelta(finishReason);
    }

    internal static void WriteToolCall(Utf8JsonWriter json, ToolCallDelta call)
    {
        json.WriteStartObject();
        json.WriteNumber("index"u8, call.Index);
        if (call.Id is not null)
        {
            json.WriteString("id"u8, call.Id);
            json.WriteString("type"u8, "function"u8);
        }

        json.WriteStartObject("function"u8);
        if (call.Name is not null) json.WriteString("name"u8, call.Name);
        json.WriteString("arguments"u8, call.Arguments);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The usage chunk sent when <c>stream_options.include_usage</c> is set: no choices.</summary>
    public void WriteUsage(string model, CompletionSummary summary, Spend.RequestCost? cost = null)
    {
        Begin(model);
        _json.WriteStartArray("choices"u8);
        _json.WriteEndArray();
        WriteUsageObject(_json, summary, cost);
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

    /// <summary>OpenAI's usage object; for a priced model the router's cost goes in fields of its own (<c>cost</c>, <c>cost_estimated</c>, <c>currency</c>), which clients ignore.</summary>
    internal static void WriteUsageObject(Utf8JsonWriter json, CompletionSummary summary, Spend.RequestCost? cost = null)
    {
        var prompt = summary.PromptTokens ?? 0;
        var output = summary.OutputTokens ?? 0;
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, prompt);
        json.WriteNumber("completion_tokens"u8, output);
        json.WriteNumber("total_tokens"u8, prompt + output);
        Spend.CostFields.Write(json, cost);
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

    private void BeginDelta(string model)
    {
        Begin(model);
        _json.WriteStartArray("choices"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("delta"u8);
    }

    private void EndDelta(string? finishReason)
    {
        _json.WriteEndObject();
        if (finishReason is null) _json.WriteNull("finish_reason"u8);
        else _json.WriteString("finish_reason"u8, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        End();
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        pipe.Write("\n\n"u8);
    }

    public void Dispose() => _json.Dispose();
}
