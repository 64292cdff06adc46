using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using static Router.WebFront.Surfaces.Responses.JsonFields;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// Reads <c>input</c>: a string (one user message) or items — messages (<c>input_text</c>,
/// <c>input_image</c>, <c>output_text</c>, <c>refusal</c> parts), <c>function_call</c>,
/// <c>function_call_output</c> and <c>reasoning</c> items. An assistant's consecutive items (its
/// reasoning, text and calls) become one assistant message, as a chat backend expects them.
/// </summary>
internal static class ResponsesInputReader
{
    private static readonly HashSet<string> MessageRoles = ["user", "assistant", "system", "developer"];

    public static List<ConversationMessage> Read(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            return [ConversationMessage.FromText("user", input.GetString()!)];
        }

        if (input.ValueKind != JsonValueKind.Array) throw Invalid("input", "'input' must be a string or an array of items.");
        var messages = new List<ConversationMessage>();
        var assistantOpen = false;
        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var path = $"input[{index++}]";
            if (item.ValueKind != JsonValueKind.Object) throw Invalid(path, $"'{path}' must be an object.");
            var type = String(item, "type", path + ".type") ?? "message";
            switch (type)
            {
                case "message":
                    var message = Message(item, path);
                    if (message.Role == "assistant" && assistantOpen) Append(messages, message.Parts);
                    else messages.Add(message);
                    assistantOpen = message.Role == "assistant";
                    break;
                case "function_call":
                    var call = new MessagePart(PartKind.ToolCall,
                        CallId: RequiredString(item, "call_id", path + ".call_id"),
                        Name: RequiredString(item, "name", path + ".name"),
                        Arguments: Arguments(item, path + ".arguments"));
                    AddToAssistant(messages, ref assistantOpen, call);
                    break;
                case "reasoning":
                    if (Reasoning(item, path) is { } reasoning) AddToAssistant(messages, ref assistantOpen, reasoning);
                    break;
                case "function_call_output":
                    messages.Add(new ConversationMessage("tool",
                        [new MessagePart(PartKind.ToolResult, Text: Output(item, path + ".output"), CallId: RequiredString(item, "call_id", path + ".call_id"))]));
                    assistantOpen = false;
                    break;
                default:
                    throw Unsupported(path + ".type", $"input items of type '{type}' (the router takes messages, function_call, function_call_output and reasoning items).");
            }
        }

        return messages.Count > 0 ? messages : throw Invalid("input", "'input' must not be empty.");
    }

    private static void AddToAssistant(List<ConversationMessage> messages, ref bool assistantOpen, MessagePart part)
    {
        if (assistantOpen) Append(messages, [part]);
        else messages.Add(new ConversationMessage("assistant", [part]));
        assistantOpen = true;
    }

    private static void Append(List<ConversationMessage> messages, IReadOnlyList<MessagePart> parts) =>
        messages[^1] = messages[^1] with { Parts = [.. messages[^1].Parts, .. parts] };

    private static ConversationMessage Message(JsonElement item, string path)
    {
        var role = RequiredString(item, "role", path + ".role");
        if (!MessageRoles.Contains(role)) throw Invalid(path + ".role", $"'{path}.role' must be user, assistant, system or developer.");
        var mapped = role == "developer" ? "system" : role;
        if (Optional(item, "content", path + ".content") is not { } content) throw Invalid(path + ".content", $"'{path}.content' is required.");
        if (content.ValueKind == JsonValueKind.String) return ConversationMessage.FromText(mapped, content.GetString()!);
        if (content.ValueKind != JsonValueKind.Array) throw Invalid(path + ".content", $"'{path}.content' must be a string or an array of parts.");

        var parts = new List<MessagePart>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{index++}]";
            if (part.ValueKind != JsonValueKind.Object) throw Invalid(partPath, $"'{partPath}' must be an object.");
            var type = RequiredString(part, "type", partPath + ".type");
            parts.Add(type switch
            {
                "input_text" or "output_text" => MessagePart.FromText(String(part, "text", partPath + ".text") ?? throw Invalid(partPath + ".text", $"'{partPath}.text' is required.")),
                "refusal" => MessagePart.FromText(RequiredString(part, "refusal", partPath + ".refusal")),
                "input_image" => InputImages.Read(part, partPath),
                _ => throw Unsupported(partPath + ".type", $"content parts of type '{type}' (the router takes input_text, input_image, output_text and refusal)."),
            });
        }

        return new ConversationMessage(mapped, parts);
    }

    /// <summary>A call's arguments: JSON object text, checked here so that a backend never gets what it cannot parse.</summary>
    private static string Arguments(JsonElement item, string path)
    {
        var text = String(item, "arguments", path) ?? throw Invalid(path, $"'{path}' is required (JSON text).");
        try
        {
            using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? text : throw Invalid(path, $"'{path}' must be a JSON object's text.");
        }
        catch (JsonException)
        {
            throw Invalid(path, $"'{path}' is not valid JSON.");
        }
    }

    /// <summary>A tool's output: a string, or text parts joined.</summary>
    private static string Output(JsonElement item, string path)
    {
        if (Optional(item, "output", path) is not { } output) throw Invalid(path, $"'{path}' is required.");
        if (output.ValueKind == JsonValueKind.String) return output.GetString()!;
        if (output.ValueKind != JsonValueKind.Array) throw Invalid(path, $"'{path}' must be a string or an array of input_text parts.");
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in output.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || String(part, "type", partPath + ".type") != "input_text")
            {
                throw Unsupported(partPath, "tool outputs other than text (input_text parts).");
            }

            text.Append(String(part, "text", partPath + ".text"));
        }

        return text.ToString();
    }

    /// <summary>A reasoning item sent back: its summary and content text; null when it carries none (encrypted content alone is not readable here).</summary>
    private static MessagePart? Reasoning(JsonElement item, string path)
    {
        var text = new StringBuilder();
        foreach (var field in (string[])["summary", "content"])
        {
            if (Array(item, field, $"{path}.{field}") is not { } parts) continue;
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) text.Append(t.GetString());
            }
        }

        return text.Length == 0 ? null : new MessagePart(PartKind.Reasoning, Text: text.ToString());
    }
}
