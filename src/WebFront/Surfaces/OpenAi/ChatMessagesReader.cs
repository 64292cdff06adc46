using System.Text.Json;
using Router.Grains.Interfaces;
using static Router.WebFront.Surfaces.OpenAi.ChatJson;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>
/// Reads OpenAI's <c>messages</c> into the conversation the model gets: every role, text and image
/// parts, assistant tool calls and reasoning, tool results. What cannot be carried is refused.
/// </summary>
internal static class ChatMessagesReader
{
    public static List<ConversationMessage> Read(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw Refuse(OpenAiError.Invalid("'messages' must be a non-empty array.", "messages"));
        }

        var conversation = new List<ConversationMessage>(messages.GetArrayLength());
        // Tool results name their call by id; Ollama wants the tool's name too, so it is looked up here.
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{i++}]";
            if (message.ValueKind != JsonValueKind.Object || Member(message, "role") is not { ValueKind: JsonValueKind.String } role)
            {
                throw Refuse(OpenAiError.Invalid("Each message needs a 'role'.", "messages"));
            }

            conversation.Add(role.GetString() switch
            {
                "system" or "developer" => Plain(message, path, "system"),
                "user" => User(message, path),
                "assistant" => Assistant(message, path, callNames),
                "tool" => Tool(message, path, callNames),
                "function" => throw Refuse(OpenAiError.Unsupported($"{path}.role", "The legacy 'function' role is not supported; send tool results as 'tool' messages.")),
                var other => throw Refuse(OpenAiError.InvalidValue($"{path}.role", $"Unknown role '{other}'.")),
            });
        }

        return conversation;
    }

    private static ConversationMessage Plain(JsonElement message, string path, string role)
    {
        OnlyKnown(message, path, "role", "content", "name");
        NoName(message, path);
        return new ConversationMessage(role, TextParts(Member(message, "content"), $"{path}.content", required: true));
    }

    private static ConversationMessage User(JsonElement message, string path)
    {
        OnlyKnown(message, path, "role", "content", "name");
        NoName(message, path);
        var content = Member(message, "content");
        if (content.ValueKind != JsonValueKind.Array) return new ConversationMessage("user", TextParts(content, $"{path}.content", required: true));

        var parts = new List<MessagePart>(content.GetArrayLength());
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{j++}]";
            var type = String(Member(Object(part, partPath), "type"), $"{partPath}.type");
            parts.Add(type switch
            {
                "text" => TextPart(part, partPath),
                "image_url" => ImagePart(part, partPath),
                "input_audio" or "file" => throw Refuse(OpenAiError.Unsupported($"{partPath}.type", $"Content parts of type '{type}' are not supported; text and image_url are.")),
                _ => throw Refuse(OpenAiError.InvalidValue($"{partPath}.type", $"Unknown content part type '{type}'.")),
            });
        }

        return new ConversationMessage("user", parts);
    }

    private static ConversationMessage Assistant(JsonElement message, string path, Dictionary<string, string> callNames)
    {
        OnlyKnown(message, path, "role", "content", "name", "tool_calls", "reasoning_content", "refusal", "audio", "function_call");
        NoName(message, path);
        if (!IsAbsent(Member(message, "audio"))) throw Refuse(OpenAiError.Unsupported($"{path}.audio", "Audio in the conversation is not supported."));
        if (!IsAbsent(Member(message, "function_call"))) throw Refuse(OpenAiError.Unsupported($"{path}.function_call", "The legacy 'function_call' is not supported; use 'tool_calls'."));

        var parts = new List<MessagePart>();
        if (Member(message, "reasoning_content") is var reasoning && !IsAbsent(reasoning))
        {
            parts.Add(new MessagePart(PartKind.Reasoning, Text: String(reasoning, $"{path}.reasoning_content")));
        }

        var content = Member(message, "content");
        if (!IsAbsent(content)) parts.AddRange(TextParts(content, $"{path}.content", required: false, refusalParts: true));
        // A refusal the assistant gave earlier is what it said: the model sees it as its own words.
        if (Member(message, "refusal") is var refusal && !IsAbsent(refusal)) parts.Add(MessagePart.FromText(String(refusal, $"{path}.refusal")));

        if (Member(message, "tool_calls") is var calls && !IsAbsent(calls))
        {
            var k = 0;
            foreach (var call in Array(calls, $"{path}.tool_calls").EnumerateArray())
            {
                parts.Add(ToolCall(call, $"{path}.tool_calls[{k++}]", callNames));
            }
        }

        if (parts.Count == 0) throw Refuse(OpenAiError.Invalid($"'{path}' needs 'content' or 'tool_calls'.", $"{path}.content"));
        return new ConversationMessage("assistant", parts);
    }

    private static MessagePart ToolCall(JsonElement call, string path, Dictionary<string, string> callNames)
    {
        OnlyKnown(Object(call, path), path, "id", "type", "function");
        var id = String(Member(call, "id"), $"{path}.id");
        var type = Member(call, "type");
        if (!IsAbsent(type) && String(type, $"{path}.type") != "function")
        {
            throw Refuse(OpenAiError.Unsupported($"{path}.type", "Only tool calls of type 'function' are supported."));
        }

        var function = Object(Member(call, "function"), $"{path}.function");
        OnlyKnown(function, $"{path}.function", "name", "arguments");
        var name = String(Member(function, "name"), $"{path}.function.name");
        var arguments = String(Member(function, "arguments"), $"{path}.function.arguments");
        if (!string.IsNullOrWhiteSpace(arguments) && !IsJsonObject(arguments))
        {
            // Both backends take the arguments as an object, so text that is none cannot be passed on.
            throw Refuse(OpenAiError.InvalidValue($"{path}.function.arguments", "A tool call's arguments must be a JSON object."));
        }

        callNames[id] = name;
        return new MessagePart(PartKind.ToolCall, CallId: id, Name: name, Arguments: arguments);
    }

    private static ConversationMessage Tool(JsonElement message, string path, Dictionary<string, string> callNames)
    {
        OnlyKnown(message, path, "role", "content", "tool_call_id");
        var id = String(Member(message, "tool_call_id"), $"{path}.tool_call_id");
        if (!callNames.TryGetValue(id, out var name))
        {
            throw Refuse(OpenAiError.InvalidValue($"{path}.tool_call_id", $"No earlier assistant message has a tool call with id '{id}'."));
        }

        var text = string.Join("\n", TextParts(Member(message, "content"), $"{path}.content", required: true).Select(p => p.Text));
        return new ConversationMessage("tool", [new MessagePart(PartKind.ToolResult, Text: text, CallId: id, Name: name)]);
    }

    /// <summary>Content as a string or an array of text parts, each kept as a part of its own.</summary>
    private static List<MessagePart> TextParts(JsonElement content, string path, bool required, bool refusalParts = false)
    {
        if (content.ValueKind == JsonValueKind.String) return [MessagePart.FromText(content.GetString()!)];
        if (IsAbsent(content) && !required) return [];
        if (content.ValueKind != JsonValueKind.Array) throw Refuse(OpenAiError.InvalidType(path, "a string or an array of content parts"));

        var parts = new List<MessagePart>(content.GetArrayLength());
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{j++}]";
            var type = String(Member(Object(part, partPath), "type"), $"{partPath}.type");
            if (type == "text") parts.Add(TextPart(part, partPath));
            else if (type == "refusal" && refusalParts) parts.Add(MessagePart.FromText(String(Member(part, "refusal"), $"{partPath}.refusal")));
            else throw Refuse(OpenAiError.InvalidValue($"{partPath}.type", $"Content parts of type '{type}' are not allowed here."));
        }

        return parts;
    }

    private static MessagePart TextPart(JsonElement part, string path)
    {
        OnlyKnown(part, path, "type", "text");
        return MessagePart.FromText(String(Member(part, "text"), $"{path}.text"));
    }

    private static MessagePart ImagePart(JsonElement part, string path)
    {
        OnlyKnown(part, path, "type", "image_url");
        var image = Object(Member(part, "image_url"), $"{path}.image_url");
        OnlyKnown(image, $"{path}.image_url", "url", "detail");
        if (Member(image, "detail") is var detail && !IsAbsent(detail) && String(detail, $"{path}.image_url.detail") != "auto")
        {
            throw Refuse(OpenAiError.Unsupported($"{path}.image_url.detail", "An image's 'detail' other than 'auto' cannot be passed to the backends."));
        }

        return ImageUrl.Read(String(Member(image, "url"), $"{path}.image_url.url"), $"{path}.image_url.url");
    }

    private static void NoName(JsonElement message, string path)
    {
        if (!IsAbsent(Member(message, "name")))
        {
            throw Refuse(OpenAiError.Unsupported($"{path}.name", "A participant 'name' on a message cannot be passed to the backends."));
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
