using System.Text;
using System.Text.Json;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>The whole answer as one message object (<c>stream: false</c>); a failure before the end is an error response.</summary>
internal sealed class AnthropicCollector : IBlockSink
{
    private readonly List<Block> _blocks = [];

    public static async Task CollectAsync(HttpContext context, CompletionFlow flow, MessagesRequest request)
    {
        var collector = new AnthropicCollector();
        var blocks = new AnswerBlocks(collector, request.OmitThinking);
        while (true)
        {
            var e = await flow.NextAsync();
            switch (e.Kind)
            {
                case FlowEventKind.Chunk:
                    blocks.Add(e);
                    break;
                case FlowEventKind.Done:
                    blocks.Finish();
                    var summary = e.Summary!;
                    var stopReason = StopReasons.Of(summary.FinishReason, blocks.HasToolUse, summary.StopSequence);
                    var input = summary.PromptTokens ?? request.Input.EstimatedPromptTokens();
                    Spend.CostHeaders.Write(context.Response, e.Cost);
                    await collector.WriteAsync(context.Response, flow, e.Model, (stopReason, summary.StopSequence), input, summary.OutputTokens ?? 0, e.Cost);
                    return;
                case FlowEventKind.Error:
                    await AnthropicError.From(e.Error!).WriteAsync(context.Response, AnthropicIds.Request(flow));
                    return;
            }
        }
    }

    public void Start(int index, BlockKind kind, string? id, string? name) => _blocks.Add(new Block(kind, id, name));

    public void Delta(int index, BlockKind kind, string text) => _blocks[index].Content.Append(text);

    public void Stop(int index, BlockKind kind, string? signature) => _blocks[index].Signature = signature;

    private async Task WriteAsync(HttpResponse response, CompletionFlow flow, string model, (string Reason, string? Sequence) stop, long inputTokens, long outputTokens,
        Spend.RequestCost? cost)
    {
        // Tool arguments arrive as JSON text; the message carries them as an object.
        var inputs = new JsonDocument?[_blocks.Count];
        try
        {
            for (var i = 0; i < _blocks.Count; i++)
            {
                if (_blocks[i].Kind != BlockKind.ToolUse) continue;
                var text = _blocks[i].Content.Length == 0 ? "{}" : _blocks[i].Content.ToString();
                try
                {
                    inputs[i] = JsonDocument.Parse(text);
                }
                catch (JsonException)
                {
                }

                if (inputs[i]?.RootElement.ValueKind != JsonValueKind.Object)
                {
                    await new AnthropicError(500, "api_error", $"The model called '{_blocks[i].Name}' with arguments that are not a JSON object.", "invalid_tool_arguments")
                        .WriteAsync(response, AnthropicIds.Request(flow));
                    return;
                }
            }

            response.ContentType = "application/json";
            using var json = new Utf8JsonWriter(response.BodyWriter, AnthropicJson.Options);
            json.WriteStartObject();
            AnthropicJson.WriteMessageHead(json, AnthropicIds.Message(flow), model);
            json.WriteStartArray("content"u8);
            for (var i = 0; i < _blocks.Count; i++)
            {
                var block = _blocks[i];
                json.WriteStartObject();
                switch (block.Kind)
                {
                    case BlockKind.Thinking:
                        json.WriteString("type"u8, "thinking");
                        json.WriteString("thinking"u8, block.Content.ToString());
                        json.WriteString("signature"u8, block.Signature ?? "");
                        break;
                    case BlockKind.Text:
                        json.WriteString("type"u8, "text");
                        json.WriteString("text"u8, block.Content.ToString());
                        break;
                    default:
                        json.WriteString("type"u8, "tool_use");
                        json.WriteString("id"u8, block.Id);
                        json.WriteString("name"u8, block.Name);
                        json.WritePropertyName("input"u8);
                        inputs[i]!.RootElement.WriteTo(json);
                        AnthropicJson.WriteDirectCaller(json);
                        break;
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("stop_reason"u8, stop.Reason);
            AnthropicJson.WriteStopSequence(json, stop.Reason, stop.Sequence);
            AnthropicJson.WriteUsage(json, inputTokens, outputTokens, cost);
            json.WriteEndObject();
            await json.FlushAsync(response.HttpContext.RequestAborted);
            await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
        }
        finally
        {
            foreach (var document in inputs) document?.Dispose();
        }
    }

    private sealed class Block(BlockKind kind, string? id, string? name)
    {
        public BlockKind Kind { get; } = kind;

        public string? Id { get; } = id;

        public string? Name { get; } = name;

        public StringBuilder Content { get; } = new();

        public string? Signature { get; set; }
    }
}
