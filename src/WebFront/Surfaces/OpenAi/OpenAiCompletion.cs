using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>Collects a flow into one <c>chat.completion</c>; a failure before the end is an error response.</summary>
internal static class OpenAiCompletion
{
    public static async Task CollectAsync(HttpContext context, CompletionFlow flow)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        while (true)
        {
            var e = await flow.NextAsync();
            switch (e.Kind)
            {
                case FlowEventKind.Chunk:
                    text.Append(e.Text);
                    reasoning.Append(e.Reasoning);
                    foreach (var delta in e.ToolCalls ?? [])
                    {
                        // Pieces of one call share its index; the first piece names it.
                        var call = calls.TryGetValue(delta.Index, out var c) ? c : (null, null, new StringBuilder());
                        calls[delta.Index] = (call.Id ?? delta.Id, call.Name ?? delta.Name, call.Arguments.Append(delta.Arguments));
                    }

                    break;
                case FlowEventKind.Done:
                    var toolCalls = calls.Select(c => new ToolCallDelta(c.Key, c.Value.Id, c.Value.Name, c.Value.Arguments.ToString())).ToList();
                    Spend.CostHeaders.Write(context.Response, e.Cost);
                    await WriteAsync(context.Response, OpenAiStreaming.CompletionId(flow), e.Model, text.ToString(), reasoning.ToString(), toolCalls, e.Summary!, e.Cost);
                    return;
                case FlowEventKind.Error:
                    await OpenAiEndpoints.WriteErrorAsync(context.Response, OpenAiError.From(e.Error!));
                    return;
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, string id, string model, string text, string reasoning, List<ToolCallDelta> toolCalls, CompletionSummary summary, Spend.RequestCost? cost)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter, OpenAiSseWriter.RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("object"u8, "chat.completion"u8);
            json.WriteNumber("created"u8, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            json.WriteString("model"u8, model);
            json.WriteStartArray("choices"u8);
            json.WriteStartObject();
            json.WriteNumber("index"u8, 0);
            json.WriteStartObject("message"u8);
            json.WriteString("role"u8, "assistant"u8);
            // OpenAI's content is null when the answer is only tool calls.
            if (text.Length == 0 && toolCalls.Count > 0) json.WriteNull("content"u8);
            else json.WriteString("content"u8, text);
            if (reasoning.Length > 0) json.WriteString("reasoning_content"u8, reasoning);
            if (toolCalls.Count > 0)
            {
                json.WriteStartArray("tool_calls"u8);
                foreach (var call in toolCalls) OpenAiSseWriter.WriteToolCall(json, call);
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteString("finish_reason"u8, summary.FinishReason ?? (toolCalls.Count > 0 ? "tool_calls" : "stop"));
            json.WriteEndObject();
            json.WriteEndArray();
            OpenAiSseWriter.WriteUsageObject(json, summary, cost);
            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }
}
