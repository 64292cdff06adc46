using System.Text.Json;

namespace Router.OllamaSimulator.Generation;

/// <summary>OpenAI's tool-call framing: streamed as deltas keyed by <c>index</c>, whole as <c>message.tool_calls</c>.</summary>
internal sealed partial class OpenAIEventWriter
{
    private const int ArgumentFragmentLength = 6;
    private static readonly JsonEncodedText ToolCallsName = JsonEncodedText.Encode("tool_calls");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FunctionType = JsonEncodedText.Encode("function");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText ArgumentsName = JsonEncodedText.Encode("arguments");

    /// <summary>
    /// As OpenAI streams a call: a first delta with <c>index</c>, <c>id</c>, <c>type</c>, <c>function.name</c> and empty
    /// <c>arguments</c> (carrying <c>role</c> when it opens the answer), then the arguments in several fragments.
    /// </summary>
    private void WriteToolCallDeltas(SimulatedToolCall call)
    {
        var index = call.Index ?? 0;
        var opensAnswer = !_roleSent;
        _roleSent = true;
        BeginToolCallDelta(opensAnswer, index);
        _json.WriteString(Id, call.Id ?? $"call_{index}");
        _json.WriteString(TypeName, FunctionType);
        _json.WriteStartObject(FunctionType);
        _json.WriteString(NameName, call.Name);
        _json.WriteString(ArgumentsName, string.Empty);
        EndToolCallDelta();

        foreach (var fragment in AnswerScript.Split(call.ArgumentsJson, ArgumentFragmentLength))
        {
            BeginToolCallDelta(opensAnswer: false, index);
            _json.WriteStartObject(FunctionType);
            _json.WriteString(ArgumentsName, fragment);
            EndToolCallDelta();
        }
    }

    private void BeginToolCallDelta(bool opensAnswer, int index)
    {
        BeginEvent();
        WriteHeader(ChunkObject);
        _json.WriteStartArray(Choices);
        _json.WriteStartObject();
        _json.WriteNumber(Index, 0);
        _json.WriteStartObject(Delta);
        if (opensAnswer)
        {
            _json.WriteString(Role, Assistant);
            _json.WriteNull(Content);
        }

        _json.WriteStartArray(ToolCallsName);
        _json.WriteStartObject();
        _json.WriteNumber(Index, index);
    }

    /// <summary>Closes <c>function</c>, the call, <c>tool_calls</c>, <c>delta</c>, then the choice and the chunk.</summary>
    private void EndToolCallDelta()
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteNull(Logprobs);
        _json.WriteNull(FinishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        EndEvent();
    }

    /// <summary><c>[{"id","type":"function","function":{"name","arguments":"&lt;JSON text&gt;"}}]</c>.</summary>
    private void WriteWholeToolCalls(IReadOnlyList<SimulatedToolCall> toolCalls)
    {
        _json.WriteStartArray(ToolCallsName);
        foreach (var call in toolCalls)
        {
            _json.WriteStartObject();
            _json.WriteString(Id, call.Id ?? $"call_{call.Index ?? 0}");
            _json.WriteString(TypeName, FunctionType);
            _json.WriteStartObject(FunctionType);
            _json.WriteString(NameName, call.Name);
            _json.WriteString(ArgumentsName, call.ArgumentsJson);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }
}
