using System.Text.Encodings.Web;
using System.Text.Json;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>The pieces of Anthropic's message object that the plain answer and the stream share.</summary>
internal static class AnthropicJson
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>
    /// <c>usage</c>: the backend's counts; the router keeps no prompt cache, so its cache counts are 0,
    /// and it has one service tier. A priced model's answer adds its cost (<see cref="Spend.CostFields"/>).
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter json, long inputTokens, long outputTokens, Spend.RequestCost? cost = null)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, inputTokens);
        json.WriteNumber("cache_creation_input_tokens"u8, 0);
        json.WriteNumber("cache_read_input_tokens"u8, 0);
        json.WriteNumber("output_tokens"u8, outputTokens);
        json.WriteNull("server_tool_use"u8);
        json.WriteString("service_tier"u8, "standard");
        Spend.CostFields.Write(json, cost);
        json.WriteEndObject();
    }

    /// <summary><c>stop_sequence</c>: the matched sequence when it ended the answer, else null.</summary>
    public static void WriteStopSequence(Utf8JsonWriter json, string stopReason, string? stopSequence)
    {
        if (stopReason == "stop_sequence" && stopSequence is not null) json.WriteString("stop_sequence"u8, stopSequence);
        else json.WriteNull("stop_sequence"u8);
    }

    /// <summary>The message's fields before its <c>content</c>.</summary>
    public static void WriteMessageHead(Utf8JsonWriter json, string id, string model)
    {
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "message");
        json.WriteString("role"u8, "assistant");
        json.WriteString("model"u8, model);
    }

    /// <summary>Every tool call of a chat backend comes from the model itself (Anthropic's <c>caller</c> of type <c>direct</c>).</summary>
    public static void WriteDirectCaller(Utf8JsonWriter json)
    {
        json.WriteStartObject("caller"u8);
        json.WriteString("type"u8, "direct");
        json.WriteEndObject();
    }

    /// <summary>A block as <c>content_block_start</c> announces it (empty), or the start of a whole one.</summary>
    public static void WriteBlockStart(Utf8JsonWriter json, BlockKind kind, string? id, string? name)
    {
        switch (kind)
        {
            case BlockKind.Thinking:
                json.WriteString("type"u8, "thinking");
                json.WriteString("thinking"u8, "");
                json.WriteString("signature"u8, "");
                break;
            case BlockKind.Text:
                json.WriteString("type"u8, "text");
                json.WriteString("text"u8, "");
                break;
            default:
                json.WriteString("type"u8, "tool_use");
                json.WriteString("id"u8, id);
                json.WriteString("name"u8, name);
                json.WriteStartObject("input"u8);
                json.WriteEndObject();
                WriteDirectCaller(json);
                break;
        }
    }
}
