using System.IO.Pipelines;
using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Writes Ollama's response objects straight into the response <see cref="PipeWriter"/>. One instance per
/// request; property names and token texts are pre-encoded, so a streamed token costs no allocation.
/// </summary>
internal sealed class OllamaLineWriter : IAnswerWriter
{
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText Assistant = JsonEncodedText.Encode("assistant");
    private static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText ResponseName = JsonEncodedText.Encode("response");
    private static readonly JsonEncodedText Done = JsonEncodedText.Encode("done");
    private static readonly JsonEncodedText DoneReason = JsonEncodedText.Encode("done_reason");
    private static readonly JsonEncodedText ContextName = JsonEncodedText.Encode("context");
    private static readonly JsonEncodedText TotalDuration = JsonEncodedText.Encode("total_duration");
    private static readonly JsonEncodedText LoadDuration = JsonEncodedText.Encode("load_duration");
    private static readonly JsonEncodedText PromptEvalCount = JsonEncodedText.Encode("prompt_eval_count");
    private static readonly JsonEncodedText PromptEvalDuration = JsonEncodedText.Encode("prompt_eval_duration");
    private static readonly JsonEncodedText EvalCount = JsonEncodedText.Encode("eval_count");
    private static readonly JsonEncodedText EvalDuration = JsonEncodedText.Encode("eval_duration");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText ThinkingName = JsonEncodedText.Encode("thinking");
    private static readonly JsonEncodedText ToolCallsName = JsonEncodedText.Encode("tool_calls");
    private static readonly JsonEncodedText Empty = JsonEncodedText.Encode(string.Empty);

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _model;
    private readonly SimulatedEndpoint _endpoint;
    private readonly AnswerScript _script;

    /// <summary>The final object leaves out its token counts (<c>[[sim:usage=none]]</c>).</summary>
    public bool OmitUsage { get; init; }

    public OllamaLineWriter(PipeWriter pipe, string model, SimulatedEndpoint endpoint, AnswerScript script)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
        _model = JsonEncodedText.Encode(model);
        _endpoint = endpoint;
        _script = script;
    }

    /// <summary>
    /// One streamed step: <c>{"model","created_at","message":{"role","content"},"done":false}</c> plus a newline; a
    /// thinking step has empty content and <c>thinking</c>, a tool-call step empty content and <c>tool_calls</c>.
    /// </summary>
    public void WriteStep(int index)
    {
        WriteHeader();
        switch (_script.KindOf(index))
        {
            case StepKind.Thinking:
                WriteContent(Empty, _script.Fragment(index), toolCalls: null);
                break;
            case StepKind.Content:
                WriteContent(_script.Fragment(index), thinking: null, toolCalls: null);
                break;
            default:
                WriteContent(Empty, thinking: null, [_script.ToolCallAt(index)]);
                break;
        }

        _json.WriteBoolean(Done, false);
        _json.WriteEndObject();
        EndLine();
    }

    public void WriteEnd(string finishReason, in GenerationTimings timings) => WriteFinal(Empty, null, null, finishReason, timings, newline: true);

    public void WriteWhole(int steps, string finishReason, in GenerationTimings timings)
    {
        var thinking = _script.ThinkingText(steps);
        var toolCalls = _script.ToolCallsIn(steps);
        WriteFinal(
            JsonEncodedText.Encode(_script.ContentText(steps)),
            thinking.Length > 0 ? JsonEncodedText.Encode(thinking) : null,
            toolCalls.Count > 0 ? toolCalls : null,
            finishReason,
            timings,
            newline: false);
    }

    /// <summary>The final object with the counters; the content is empty when streaming and the whole answer otherwise.</summary>
    private void WriteFinal(JsonEncodedText content, JsonEncodedText? thinking, IReadOnlyList<SimulatedToolCall>? toolCalls, string finishReason, in GenerationTimings timings, bool newline)
    {
        WriteHeader();
        WriteContent(content, thinking, toolCalls);
        _json.WriteBoolean(Done, true);

        // Ollama ends a tool-call answer with "stop"; "tool_calls" is OpenAI's word.
        _json.WriteString(DoneReason, finishReason == "tool_calls" ? "stop" : finishReason);
        if (_endpoint == SimulatedEndpoint.Generate)
        {
            // Ollama returns the conversation context as token ids; a few stable ints are enough for clients.
            _json.WriteStartArray(ContextName);
            _json.WriteNumberValue(128006);
            _json.WriteNumberValue(timings.PromptEvalCount);
            _json.WriteNumberValue(timings.EvalCount);
            _json.WriteNumberValue(128009);
            _json.WriteEndArray();
        }

        _json.WriteNumber(TotalDuration, timings.TotalDurationNs);
        _json.WriteNumber(LoadDuration, timings.LoadDurationNs);
        if (!OmitUsage)
        {
            _json.WriteNumber(PromptEvalCount, timings.PromptEvalCount);
            _json.WriteNumber(PromptEvalDuration, timings.PromptEvalDurationNs);
            _json.WriteNumber(EvalCount, timings.EvalCount);
            _json.WriteNumber(EvalDuration, timings.EvalDurationNs);
        }
        _json.WriteEndObject();
        if (newline)
        {
            EndLine();
        }
        else
        {
            _json.Flush();
        }
    }

    /// <summary>Ollama's way of reporting a failure after streaming has begun: a line holding only <c>error</c>.</summary>
    public void WriteError(string message)
    {
        _json.WriteStartObject();
        _json.WriteString(ErrorName, message);
        _json.WriteEndObject();
        EndLine();
    }

    public void Dispose() => _json.Dispose();

    private void WriteHeader()
    {
        _json.WriteStartObject();
        _json.WriteString(ModelName, _model);
        _json.WriteString(CreatedAt, DateTime.UtcNow);
    }

    /// <summary>Chat: <c>message</c> with <c>role</c>, <c>content</c>, then <c>thinking</c> and <c>tool_calls</c> when present; generate: <c>response</c> and <c>thinking</c>.</summary>
    private void WriteContent(JsonEncodedText text, JsonEncodedText? thinking, IReadOnlyList<SimulatedToolCall>? toolCalls)
    {
        if (_endpoint == SimulatedEndpoint.Chat)
        {
            _json.WriteStartObject(MessageName);
            _json.WriteString(Role, Assistant);
            _json.WriteString(Content, text);
            if (thinking is { } t) _json.WriteString(ThinkingName, t);
            if (toolCalls is not null) WriteToolCalls(toolCalls);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteString(ResponseName, text);
            if (thinking is { } t) _json.WriteString(ThinkingName, t);
        }
    }

    /// <summary>Ollama's shape: <c>[{"id","function":{"index","name","arguments":{...}}}]</c>, the arguments an object.</summary>
    private void WriteToolCalls(IReadOnlyList<SimulatedToolCall> toolCalls)
    {
        _json.WriteStartArray(ToolCallsName);
        foreach (var call in toolCalls)
        {
            _json.WriteStartObject();
            if (call.Id is { } id) _json.WriteString("id", id);
            _json.WriteStartObject("function");
            if (call.Index is { } index) _json.WriteNumber("index", index);
            _json.WriteString("name", call.Name);
            _json.WritePropertyName("arguments");
            _json.WriteRawValue(call.ArgumentsJson);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }

    private void EndLine()
    {
        _json.Flush();
        var span = _pipe.GetSpan(1);
        span[0] = (byte)'\n';
        _pipe.Advance(1);

        // Each line is its own top-level value; Reset lets the writer start the next one without a separator.
        _json.Reset();
    }
}
