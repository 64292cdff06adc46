using System.IO.Pipelines;
using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>
/// Writes OpenAI chat-completion objects into the response pipe: <c>chat.completion.chunk</c> objects as
/// <c>data:</c> events when streaming, one <c>chat.completion</c> object otherwise.
/// </summary>
internal sealed partial class OpenAIEventWriter : IAnswerWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ObjectName = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText ChunkObject = JsonEncodedText.Encode("chat.completion.chunk");
    private static readonly JsonEncodedText CompletionObject = JsonEncodedText.Encode("chat.completion");
    private static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText Fingerprint = JsonEncodedText.Encode("system_fingerprint");
    private static readonly JsonEncodedText FingerprintValue = JsonEncodedText.Encode("fp_simulator");
    private static readonly JsonEncodedText Choices = JsonEncodedText.Encode("choices");
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText Delta = JsonEncodedText.Encode("delta");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText Assistant = JsonEncodedText.Encode("assistant");
    private static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText Logprobs = JsonEncodedText.Encode("logprobs");
    private static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finish_reason");
    private static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
    private static readonly JsonEncodedText PromptTokens = JsonEncodedText.Encode("prompt_tokens");
    private static readonly JsonEncodedText CompletionTokens = JsonEncodedText.Encode("completion_tokens");
    private static readonly JsonEncodedText TotalTokens = JsonEncodedText.Encode("total_tokens");
    private static readonly JsonEncodedText ReasoningContent = JsonEncodedText.Encode("reasoning_content");
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _id;
    private readonly JsonEncodedText _model;
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private readonly bool _includeUsage;
    private readonly bool _omitUsage;
    private readonly AnswerScript _script;
    private bool _roleSent;

    public OpenAIEventWriter(PipeWriter pipe, SimulatedRequest request, bool includeUsage)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
        _id = JsonEncodedText.Encode($"chatcmpl-sim{request.Id}");
        _model = JsonEncodedText.Encode(request.Model);
        _includeUsage = includeUsage && !request.Directives.OmitUsage;
        _omitUsage = request.Directives.OmitUsage;
        _script = request.Script ?? AnswerScript.Plain(0, "stop");
    }

    /// <summary>A thinking step is a <c>reasoning_content</c> delta (as DeepSeek's API and vLLM send it), a text step a <c>content</c> delta, a tool call several <c>tool_calls</c> deltas.</summary>
    public void WriteStep(int index)
    {
        switch (_script.KindOf(index))
        {
            case StepKind.Thinking:
                EnsureRole();
                WriteChunk(content: null, finishReason: null, reasoning: _script.Fragment(index));
                break;
            case StepKind.Content:
                EnsureRole();
                WriteChunk(_script.Fragment(index), finishReason: null);
                break;
            default:
                WriteToolCallDeltas(_script.ToolCallAt(index));
                break;
        }
    }

    public void WriteEnd(string finishReason, in GenerationTimings timings)
    {
        EnsureRole();
        WriteChunk(content: null, finishReason);
        if (_includeUsage)
        {
            // OpenAI's usage chunk: no choices, only the counts, after the finishing chunk.
            BeginEvent();
            WriteHeader(ChunkObject);
            _json.WriteStartArray(Choices);
            _json.WriteEndArray();
            WriteUsage(timings);
            _json.WriteEndObject();
            EndEvent();
        }

        Raw(Done);
    }

    public void WriteError(string message)
    {
        BeginEvent();
        OpenAIDialect.WriteErrorObject(_json, message, "server_error", code: null);
        EndEvent();
    }

    public void WriteWhole(int steps, string finishReason, in GenerationTimings timings)
    {
        var content = _script.ContentText(steps);
        var thinking = _script.ThinkingText(steps);
        var toolCalls = _script.ToolCallsIn(steps);
        WriteHeader(CompletionObject);
        _json.WriteStartArray(Choices);
        _json.WriteStartObject();
        _json.WriteNumber(Index, 0);
        _json.WriteStartObject(MessageName);
        _json.WriteString(Role, Assistant);

        // OpenAI sends a null content beside tool calls, not an empty string.
        if (content.Length == 0 && toolCalls.Count > 0) _json.WriteNull(Content);
        else _json.WriteString(Content, content);
        if (thinking.Length > 0) _json.WriteString(ReasoningContent, thinking);
        if (toolCalls.Count > 0) WriteWholeToolCalls(toolCalls);
        _json.WriteEndObject();
        _json.WriteNull(Logprobs);
        _json.WriteString(FinishReason, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        if (!_omitUsage) WriteUsage(timings);
        _json.WriteEndObject();
        _json.Flush();
    }

    public void Dispose() => _json.Dispose();

    /// <summary>OpenAI opens a stream with a chunk carrying only the role, before any content.</summary>
    private void EnsureRole()
    {
        if (_roleSent) return;
        _roleSent = true;
        BeginEvent();
        WriteHeader(ChunkObject);
        _json.WriteStartArray(Choices);
        _json.WriteStartObject();
        _json.WriteNumber(Index, 0);
        _json.WriteStartObject(Delta);
        _json.WriteString(Role, Assistant);
        _json.WriteString(Content, string.Empty);
        _json.WriteEndObject();
        _json.WriteNull(Logprobs);
        _json.WriteNull(FinishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        EndEvent();
    }

    private void WriteChunk(JsonEncodedText? content, string? finishReason, JsonEncodedText? reasoning = null)
    {
        BeginEvent();
        WriteHeader(ChunkObject);
        _json.WriteStartArray(Choices);
        _json.WriteStartObject();
        _json.WriteNumber(Index, 0);
        _json.WriteStartObject(Delta);
        if (content is { } text) _json.WriteString(Content, text);
        if (reasoning is { } r) _json.WriteString(ReasoningContent, r);
        _json.WriteEndObject();
        _json.WriteNull(Logprobs);
        if (finishReason is null) _json.WriteNull(FinishReason);
        else _json.WriteString(FinishReason, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        EndEvent();
    }

    private void WriteHeader(JsonEncodedText objectType)
    {
        _json.WriteStartObject();
        _json.WriteString(Id, _id);
        _json.WriteString(ObjectName, objectType);
        _json.WriteNumber(Created, _created);
        _json.WriteString(ModelName, _model);
        _json.WriteString(Fingerprint, FingerprintValue);
    }

    private void WriteUsage(in GenerationTimings timings)
    {
        _json.WriteStartObject(Usage);
        _json.WriteNumber(PromptTokens, timings.PromptEvalCount);
        _json.WriteNumber(CompletionTokens, timings.EvalCount);
        _json.WriteNumber(TotalTokens, timings.PromptEvalCount + timings.EvalCount);
        _json.WriteEndObject();
    }

    private void BeginEvent() => Raw(DataPrefix);

    private void EndEvent()
    {
        _json.Flush();
        Raw(EventEnd);

        // Each event holds its own top-level value; Reset lets the writer start the next one.
        _json.Reset();
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _json.Flush();
        bytes.CopyTo(_pipe.GetSpan(bytes.Length));
        _pipe.Advance(bytes.Length);
    }
}
