using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>Writes the Responses API's response object and its output items.</summary>
internal static class ResponseObjectWriter
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The response object as UTF-8 JSON (the plain answer, the final event's payload and what is stored).</summary>
    public static byte[] ToUtf8(ResponseDraft draft)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            Write(json, draft);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter json, ResponseDraft draft)
    {
        var request = draft.Request;
        var echo = request.Echo;
        json.WriteStartObject();
        json.WriteString("id"u8, draft.Id);
        json.WriteString("object"u8, "response"u8);
        json.WriteNumber("created_at"u8, draft.CreatedAt);
        json.WriteString("status"u8, draft.Status);
        json.WriteBoolean("background"u8, false);
        if (draft.Error is { } error)
        {
            json.WriteStartObject("error"u8);
            json.WriteString("code"u8, error.Code);
            json.WriteString("message"u8, error.Message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("error"u8);
        }

        if (draft.IncompleteReason is { } reason)
        {
            json.WriteStartObject("incomplete_details"u8);
            json.WriteString("reason"u8, reason);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("incomplete_details"u8);
        }

        WriteStringOrNull(json, "instructions", request.Instructions);
        WriteNumberOrNull(json, "max_output_tokens", echo.MaxOutputTokens);
        json.WriteNull("max_tool_calls"u8);
        json.WriteString("model"u8, draft.Model);
        json.WriteStartArray("output"u8);
        foreach (var item in draft.Output) WriteItem(json, item);
        json.WriteEndArray();
        json.WriteBoolean("parallel_tool_calls"u8, request.ParallelToolCalls);
        WriteStringOrNull(json, "previous_response_id", request.PreviousResponseId);
        WriteRaw(json, "reasoning", echo.Reasoning, """{"effort":null,"summary":null}""");
        json.WriteString("service_tier"u8, echo.ServiceTier ?? "default");
        json.WriteBoolean("store"u8, request.Store);
        WriteNumberOrNull(json, "temperature", echo.Temperature);
        WriteRaw(json, "text", echo.Text, """{"format":{"type":"text"}}""");
        WriteRaw(json, "tool_choice", echo.ToolChoice, "\"auto\"");
        WriteRaw(json, "tools", echo.Tools, "[]");
        json.WriteNumber("top_logprobs"u8, 0);
        WriteNumberOrNull(json, "top_p", echo.TopP);
        json.WriteString("truncation"u8, "disabled"u8);
        WriteUsage(json, draft);
        WriteStringOrNull(json, "user", echo.User);
        if (echo.SafetyIdentifier is { } safety) json.WriteString("safety_identifier"u8, safety);
        if (echo.PromptCacheKey is { } cacheKey) json.WriteString("prompt_cache_key"u8, cacheKey);
        WriteRaw(json, "metadata", echo.Metadata, "{}");
        json.WriteEndObject();
    }

    /// <summary>An output item as it stands (its text so far, its status).</summary>
    public static void WriteItem(Utf8JsonWriter json, OutputItem item)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, item.Id);
        switch (item.Kind)
        {
            case OutputKind.Message:
                json.WriteString("type"u8, "message"u8);
                json.WriteString("status"u8, item.Status);
                json.WriteString("role"u8, "assistant"u8);
                json.WriteStartArray("content"u8);
                if (item.Status != "in_progress") WriteTextPart(json, item.Text.ToString());
                json.WriteEndArray();
                break;
            case OutputKind.FunctionCall:
                json.WriteString("type"u8, "function_call"u8);
                json.WriteString("status"u8, item.Status);
                json.WriteString("arguments"u8, item.Status == "in_progress" ? "" : item.Text.ToString());
                json.WriteString("call_id"u8, item.CallId);
                json.WriteString("name"u8, item.Name);
                break;
            default:
                json.WriteString("type"u8, "reasoning"u8);
                json.WriteStartArray("summary"u8);
                if (item.Status != "in_progress") WriteSummaryPart(json, item.Text.ToString());
                json.WriteEndArray();
                break;
        }

        json.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "output_text"u8);
        json.WriteStartArray("annotations"u8);
        json.WriteEndArray();
        json.WriteStartArray("logprobs"u8);
        json.WriteEndArray();
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }

    public static void WriteSummaryPart(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "summary_text"u8);
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }

    /// <summary>
    /// Usage; a backend does not count thinking apart, so it is inside <c>output_tokens</c> and
    /// <c>reasoning_tokens</c> is 0. A priced model's answer adds its cost (<see cref="Spend.CostFields"/>).
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter json, ResponseDraft draft)
    {
        if (draft.Usage is not { } usage)
        {
            json.WriteNull("usage"u8);
            return;
        }

        var input = usage.PromptTokens ?? 0;
        var output = usage.OutputTokens ?? 0;
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, input);
        json.WriteStartObject("input_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteNumber("output_tokens"u8, output);
        json.WriteStartObject("output_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteNumber("total_tokens"u8, input + output);
        Spend.CostFields.Write(json, draft.Cost);
        json.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter json, string name, string? raw, string fallback)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(raw ?? fallback, skipInputValidation: true);
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteNumber(name, Math.Round(value.Value, 6));
    }
}
