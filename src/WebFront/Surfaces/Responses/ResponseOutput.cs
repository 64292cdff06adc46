using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// Turns an answer's chunks into output items — reasoning, a message, function calls — one open at a
/// time in the order they come, and, when streaming, into the Responses API's events for each: an
/// item is added, grows by deltas and is done before the next one is added. Thinking is given as
/// the reasoning item's summary text (as Ollama's own <c>/v1/responses</c> does): a local model's
/// thinking is all there is, and it is what clients show.
/// </summary>
internal sealed class ResponseOutput(ResponseDraft draft, ResponsesSseWriter? sse)
{
    private OutputItem? _open;
    private int? _firstToolIndex;

    public void Reasoning(string delta)
    {
        var item = Open(OutputKind.Reasoning, null);
        item.Text.Append(delta);
        if (Begin("response.reasoning_summary_text.delta", item) is { } json)
        {
            json.WriteNumber("summary_index"u8, 0);
            json.WriteString("delta"u8, delta);
            sse!.End();
        }
    }

    public void Text(string delta)
    {
        var item = Open(OutputKind.Message, null);
        item.Text.Append(delta);
        if (Begin("response.output_text.delta", item) is { } json)
        {
            json.WriteNumber("content_index"u8, 0);
            json.WriteString("delta"u8, delta);
            json.WriteStartArray("logprobs"u8);
            json.WriteEndArray();
            sse!.End();
        }
    }

    /// <summary>A tool call or a piece of one; with <c>parallel_tool_calls: false</c> only the first call is kept.</summary>
    public void ToolCall(ToolCallDelta call)
    {
        _firstToolIndex ??= call.Index;
        if (!draft.Request.ParallelToolCalls && call.Index != _firstToolIndex) return;
        var item = _open is { Kind: OutputKind.FunctionCall } open && open.ToolIndex == call.Index ? open : Open(OutputKind.FunctionCall, call);
        item.Text.Append(call.Arguments);
        if (call.Arguments.Length > 0 && Begin("response.function_call_arguments.delta", item) is { } json)
        {
            json.WriteString("delta"u8, call.Arguments);
            sse!.End();
        }
    }

    /// <summary>Closes the open item: <c>completed</c>, or <c>incomplete</c> when the answer was cut.</summary>
    public void Close(string status)
    {
        if (_open is not { } item) return;
        _open = null;
        item.Status = status;
        if (sse is null) return;
        var text = item.Text.ToString();
        switch (item.Kind)
        {
            case OutputKind.Message:
                var json = Begin("response.output_text.done", item)!;
                json.WriteNumber("content_index"u8, 0);
                json.WriteString("text"u8, text);
                json.WriteStartArray("logprobs"u8);
                json.WriteEndArray();
                sse.End();
                json = Begin("response.content_part.done", item)!;
                json.WriteNumber("content_index"u8, 0);
                json.WritePropertyName("part"u8);
                ResponseObjectWriter.WriteTextPart(json, text);
                sse.End();
                break;
            case OutputKind.Reasoning:
                json = Begin("response.reasoning_summary_text.done", item)!;
                json.WriteNumber("summary_index"u8, 0);
                json.WriteString("text"u8, text);
                sse.End();
                json = Begin("response.reasoning_summary_part.done", item)!;
                json.WriteNumber("summary_index"u8, 0);
                json.WritePropertyName("part"u8);
                ResponseObjectWriter.WriteSummaryPart(json, text);
                sse.End();
                break;
            default:
                json = Begin("response.function_call_arguments.done", item)!;
                json.WriteString("name"u8, item.Name);
                json.WriteString("arguments"u8, text);
                sse.End();
                break;
        }

        WriteItemEvent("response.output_item.done", item);
    }

    private OutputItem Open(OutputKind kind, ToolCallDelta? call)
    {
        if (_open is { } open && open.Kind == kind && kind != OutputKind.FunctionCall) return open;
        Close("completed");
        var item = kind switch
        {
            OutputKind.Message => new OutputItem(kind, "msg_" + Guid.NewGuid().ToString("N")),
            OutputKind.Reasoning => new OutputItem(kind, "rs_" + Guid.NewGuid().ToString("N")),
            _ => new OutputItem(kind, "fc_" + Guid.NewGuid().ToString("N"))
            {
                CallId = string.IsNullOrEmpty(call!.Id) ? "call_" + Guid.NewGuid().ToString("N") : call.Id,
                Name = call.Name ?? "",
                ToolIndex = call.Index,
            },
        };
        draft.Output.Add(item);
        _open = item;
        if (sse is null) return item;

        WriteItemEvent("response.output_item.added", item);
        if (kind == OutputKind.Message)
        {
            var json = Begin("response.content_part.added", item)!;
            json.WriteNumber("content_index"u8, 0);
            json.WritePropertyName("part"u8);
            ResponseObjectWriter.WriteTextPart(json, "");
            sse.End();
        }
        else if (kind == OutputKind.Reasoning)
        {
            var json = Begin("response.reasoning_summary_part.added", item)!;
            json.WriteNumber("summary_index"u8, 0);
            json.WritePropertyName("part"u8);
            ResponseObjectWriter.WriteSummaryPart(json, "");
            sse.End();
        }

        return item;
    }

    private void WriteItemEvent(string type, OutputItem item)
    {
        var json = sse!.Begin(type);
        json.WriteNumber("output_index"u8, draft.Output.IndexOf(item));
        json.WritePropertyName("item"u8);
        ResponseObjectWriter.WriteItem(json, item);
        sse.End();
    }

    /// <summary>Starts an event about <paramref name="item"/> (its id and place); null when not streaming.</summary>
    private Utf8JsonWriter? Begin(string type, OutputItem item)
    {
        if (sse is null) return null;
        var json = sse.Begin(type);
        json.WriteString("item_id"u8, item.Id);
        json.WriteNumber("output_index"u8, draft.Output.IndexOf(item));
        return json;
    }
}
