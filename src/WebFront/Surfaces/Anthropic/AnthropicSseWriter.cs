using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>
/// Writes Anthropic's streaming events into the response pipe, each as <c>event: &lt;type&gt;</c> and a
/// <c>data:</c> line holding the same <c>type</c>: <c>message_start</c>, the blocks'
/// <c>content_block_start</c> / <c>_delta</c> / <c>_stop</c>, <c>message_delta</c>, <c>message_stop</c>,
/// <c>ping</c>, or <c>error</c>.
/// </summary>
internal sealed class AnthropicSseWriter(PipeWriter pipe) : IBlockSink, IDisposable
{
    private readonly Utf8JsonWriter _json = new(pipe, AnthropicJson.Options);

    public void WriteMessageStart(string id, string model, long inputTokens)
    {
        Begin("message_start"u8);
        _json.WriteStartObject("message"u8);
        AnthropicJson.WriteMessageHead(_json, id, model);
        _json.WriteStartArray("content"u8);
        _json.WriteEndArray();
        _json.WriteNull("stop_reason"u8);
        _json.WriteNull("stop_sequence"u8);
        AnthropicJson.WriteUsage(_json, inputTokens, 0);
        _json.WriteEndObject();
        End();
    }

    public void Start(int index, BlockKind kind, string? id, string? name)
    {
        Begin("content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("content_block"u8);
        AnthropicJson.WriteBlockStart(_json, kind, id, name);
        _json.WriteEndObject();
        End();
    }

    public void Delta(int index, BlockKind kind, string text)
    {
        Begin("content_block_delta"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("delta"u8);
        switch (kind)
        {
            case BlockKind.Thinking:
                _json.WriteString("type"u8, "thinking_delta");
                _json.WriteString("thinking"u8, text);
                break;
            case BlockKind.Text:
                _json.WriteString("type"u8, "text_delta");
                _json.WriteString("text"u8, text);
                break;
            default:
                _json.WriteString("type"u8, "input_json_delta");
                _json.WriteString("partial_json"u8, text);
                break;
        }

        _json.WriteEndObject();
        End();
    }

    public void Stop(int index, BlockKind kind, string? signature)
    {
        if (signature is not null)
        {
            Begin("content_block_delta"u8);
            _json.WriteNumber("index"u8, index);
            _json.WriteStartObject("delta"u8);
            _json.WriteString("type"u8, "signature_delta");
            _json.WriteString("signature"u8, signature);
            _json.WriteEndObject();
            End();
        }

        Begin("content_block_stop"u8);
        _json.WriteNumber("index"u8, index);
        End();
    }

    public void WriteMessageDelta(string stopReason, string? stopSequence, long inputTokens, long outputTokens, Spend.RequestCost? cost)
    {
        Begin("message_delta"u8);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("stop_reason"u8, stopReason);
        AnthropicJson.WriteStopSequence(_json, stopReason, stopSequence);
        _json.WriteEndObject();
        _json.WriteStartObject("usage"u8);
        _json.WriteNumber("input_tokens"u8, inputTokens);
        _json.WriteNumber("output_tokens"u8, outputTokens);
        Spend.CostFields.Write(_json, cost);
        _json.WriteEndObject();
        End();
    }

    public void WriteMessageStop()
    {
        Begin("message_stop"u8);
        End();
    }

    public void WritePing()
    {
        Begin("ping"u8);
        End();
    }

    public void WriteError(AnthropicError error, string requestId)
    {
        pipe.Write("event: error\ndata: "u8);
        _json.Reset(pipe);
        error.WriteTo(_json, requestId);
        _json.Flush();
        pipe.Write("\n\n"u8);
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => pipe.FlushAsync(cancellationToken);

    public void Dispose() => _json.Dispose();

    private void Begin(ReadOnlySpan<byte> type)
    {
        pipe.Write("event: "u8);
        pipe.Write(type);
        pipe.Write("\ndata: "u8);
        _json.Reset(pipe);
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        pipe.Write("\n\n"u8);
    }
}
