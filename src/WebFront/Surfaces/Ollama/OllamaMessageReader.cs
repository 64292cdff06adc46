using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Reads one of Ollama's chat messages whole: <c>role</c>, <c>content</c>, <c>images</c>, an assistant's
/// <c>thinking</c> and <c>tool_calls</c>, a tool result's <c>tool_name</c> and <c>tool_call_id</c>.
/// Errors name the field by its path (<c>messages[2].tool_calls[0].function.name</c>).
/// </summary>
internal static class OllamaMessageReader
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    public static (ConversationMessage?, RequestProblem?) Read(JsonElement message, int index)
    {
        var path = $"messages[{index}]";
        if (message.ValueKind != JsonValueKind.Object)
        {
            return (null, Invalid("invalid_message", $"'{path}' must be an object with a 'role' and a 'content'."));
        }

        if (!OllamaRequestReader.TryString(message, "role", out var rawRole) || string.IsNullOrWhiteSpace(rawRole))
        {
            return (null, Invalid("invalid_message", $"'{path}.role' must be a string."));
        }

        // Ollama takes roles in any case.
        var role = rawRole.ToLowerInvariant();
        if (role is not (System or User or Assistant or Tool))
        {
            return (null, Invalid("invalid_role", $"'{path}.role' must be 'system', 'user', 'assistant' or 'tool', not '{rawRole}'."));
        }

        if (!OllamaRequestReader.TryString(message, "content", out var content)
            || !OllamaRequestReader.TryString(message, "thinking", out var thinking)
            || !OllamaRequestReader.TryString(message, "tool_name", out var toolName)
            || !OllamaRequestReader.TryString(message, "tool_call_id", out var toolCallId))
        {
            return (null, Invalid("invalid_message", $"'{path}': 'content', 'thinking', 'tool_name' and 'tool_call_id' must be strings."));
        }

        var parts = new List<MessagePart>(2);
        if (!string.IsNullOrEmpty(thinking))
        {
            if (role != Assistant) return (null, Invalid("invalid_message", $"'{path}.thinking' belongs to assistant messages only."));
            parts.Add(new MessagePart(PartKind.Reasoning, Text: thinking));
        }

        if (role == Tool)
        {
            parts.Add(new MessagePart(PartKind.ToolResult, Text: content ?? "", CallId: NullIfEmpty(toolCallId), Name: NullIfEmpty(toolName)));
        }
        else if (!string.IsNullOrEmpty(toolName) || !string.IsNullOrEmpty(toolCallId))
        {
            return (null, Invalid("invalid_message", $"'{path}': 'tool_name' and 'tool_call_id' belong to tool messages only."));
        }
        else if (!string.IsNullOrEmpty(content))
        {
            parts.Add(MessagePart.FromText(content));
        }

        if (message.TryGetProperty("images", out var images) && OllamaImages.Read(images, $"{path}.images", parts) is { } badImage)
        {
            return (null, badImage);
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind != JsonValueKind.Null)
        {
            if (role != Assistant) return (null, Invalid("invalid_tool_calls", $"'{path}.tool_calls' belongs to assistant messages only."));
            if (ReadToolCalls(calls, $"{path}.tool_calls", parts) is { } badCall) return (null, badCall);
        }

        // An empty message still takes its place in the conversation.
        if (parts.Count == 0) parts.Add(MessagePart.FromText(""));
        return (new ConversationMessage(role, parts), null);
    }

    /// <summary><c>[{"id"?, "function": {"index"?, "name", "arguments": {…}}}]</c>; arguments stay the JSON object's text.</summary>
    private static RequestProblem? ReadToolCalls(JsonElement calls, string path, List<MessagePart> parts)
    {
        if (calls.ValueKind != JsonValueKind.Array) return Invalid("invalid_tool_calls", $"'{path}' must be an array.");
        var i = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                return Invalid("invalid_tool_call", $"'{at}' must be an object with a 'function' object.");
            }

            if (!OllamaRequestReader.TryString(call, "id", out var id))
            {
                return Invalid("invalid_tool_call", $"'{at}.id' must be a string.");
            }

            if (!OllamaRequestReader.TryString(function, "name", out var name) || string.IsNullOrWhiteSpace(name))
            {
                return Invalid("invalid_tool_call", $"'{at}.function.name' must be a non-empty string.");
            }

            var arguments = "{}";
            if (function.TryGetProperty("arguments", out var args) && args.ValueKind != JsonValueKind.Null)
            {
                if (args.ValueKind != JsonValueKind.Object) return Invalid("invalid_tool_call", $"'{at}.function.arguments' must be a JSON object.");
                arguments = args.GetRawText();
            }

            parts.Add(new MessagePart(PartKind.ToolCall, CallId: NullIfEmpty(id), Name: name, Arguments: arguments));
        }

        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static RequestProblem Invalid(string code, string detail) => OllamaRequestReader.Invalid(code, detail);
}
