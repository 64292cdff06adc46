using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>
/// Reads <c>messages</c>: string content or blocks (<c>text</c>, <c>image</c>, <c>tool_use</c>,
/// <c>tool_result</c>, <c>thinking</c>). A user message's tool results become <c>tool</c> messages
/// ahead of the rest of it, each with the name of the tool whose call it answers.
/// </summary>
internal static class AnthropicContentReader
{
    private static readonly HashSet<string> MessageFields = ["role", "content"];
    private static readonly HashSet<string> TextFields = ["type", "text", "cache_control", "citations"];
    private static readonly HashSet<string> ImageFields = ["type", "source", "cache_control"];
    private static readonly HashSet<string> SourceFields = ["type", "media_type", "data"];
    private static readonly HashSet<string> ToolUseFields = ["type", "id", "name", "input", "cache_control", "caller"];
    private static readonly HashSet<string> ToolResultFields = ["type", "tool_use_id", "content", "is_error", "cache_control"];
    private static readonly HashSet<string> ThinkingFields = ["type", "thinking", "signature"];
    private static readonly HashSet<string> MediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    public static (List<ConversationMessage> Messages, string RoutingText) Messages(JsonElement root)
    {
        if (!Fields.TryGet(root, "messages", out var messages)) throw new BadRequest("messages: Field required");
        if (messages.ValueKind != JsonValueKind.Array) throw new BadRequest("messages: must be an array of {\"role\", \"content\"} objects");
        if (messages.GetArrayLength() == 0) throw new BadRequest("messages: at least one message is required");

        var result = new List<ConversationMessage>();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        string? routingText = null;
        string? lastRole = null;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages.{i++}";
            if (message.ValueKind != JsonValueKind.Object) throw new BadRequest($"{path}: must be an object with \"role\" and \"content\"");
            Fields.Only(message, path + ".", MessageFields);
            lastRole = Fields.String(message, "role", required: true, path: path + ".role");
            if (lastRole is not ("user" or "assistant" or "system")) throw new BadRequest($"{path}.role: must be \"user\", \"assistant\" or \"system\" (was \"{lastRole}\")");
            if (!Fields.TryGet(message, "content", out var content)) throw new BadRequest($"{path}.content: Field required");
            if (lastRole == "system")
            {
                result.Add(SystemMessage(content, path));
                continue;
            }

            var text = lastRole == "user" ? UserMessage(content, path, toolNames, result) : AssistantMessage(content, path, toolNames, result);
            if (lastRole == "user" && !string.IsNullOrWhiteSpace(text)) routingText = text;
        }

        // An assistant message last would ask the model to continue it (prefill); the backends cannot be told to.
        if (lastRole != "user") throw new BadRequest("messages: the last message must have the role \"user\" (continuing an assistant message is not supported)");
        return (result, routingText ?? LastToolResultText(result));
    }

    /// <summary>A text block's <c>text</c>; citations are only accepted empty.</summary>
    public static string TextOf(JsonElement block, string path)
    {
        Fields.Only(block, path + ".", TextFields);
        CacheControl(block, path);
        if (Fields.TryGet(block, "citations", out var citations) && (citations.ValueKind != JsonValueKind.Array || citations.GetArrayLength() > 0))
        {
            throw new BadRequest($"{path}.citations: citations cannot be passed to the model");
        }

        return Fields.String(block, "text", required: true, path: path + ".text")!;
    }

    /// <summary>A system message among the others: a string or text blocks, as the top-level <c>system</c>.</summary>
    private static ConversationMessage SystemMessage(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String) return ConversationMessage.FromText("system", content.GetString()!);
        var parts = new List<MessagePart>();
        foreach (var (block, type, at) in Blocks(content, path))
        {
            if (type != "text") throw new BadRequest($"{at}.type: a system message may only hold text blocks (was \"{type}\")");
            parts.Add(MessagePart.FromText(TextOf(block, at)));
        }

        return new ConversationMessage("system", parts);
    }

    private static string UserMessage(JsonElement content, string path, Dictionary<string, string> toolNames, List<ConversationMessage> into)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(ConversationMessage.FromText("user", content.GetString()!));
            return content.GetString()!;
        }

        var parts = new List<MessagePart>();
        var text = new StringBuilder();
        foreach (var (block, type, at) in Blocks(content, path))
        {
            switch (type)
            {
                case "text":
                    var t = TextOf(block, at);
                    parts.Add(MessagePart.FromText(t));
                    text.Append(text.Length > 0 ? "\n" : "").Append(t);
                    break;
                case "image":
                    parts.Add(Image(block, at));
                    break;
                case "tool_result":
                    into.Add(new ConversationMessage("tool", [ToolResult(block, at, toolNames)]));
                    break;
                default:
                    throw Unsupported(type, at, "user");
            }
        }

        if (parts.Count > 0) into.Add(new ConversationMessage("user", parts));
        return text.ToString();
    }

    private static string AssistantMessage(JsonElement content, string path, Dictionary<string, string> toolNames, List<ConversationMessage> into)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(ConversationMessage.FromText("assistant", content.GetString()!));
            return content.GetString()!;
        }

        var parts = new List<MessagePart>();
        foreach (var (block, type, at) in Blocks(content, path))
        {
            switch (type)
            {
                case "text":
                    parts.Add(MessagePart.FromText(TextOf(block, at)));
                    break;
                case "thinking":
                    // The signature is the router's own (or another service's); the model only needs the thinking.
                    Fields.Only(block, at + ".", ThinkingFields);
                    Fields.String(block, "signature", required: false, path: at + ".signature");
                    parts.Add(new MessagePart(PartKind.Reasoning, Text: Fields.String(block, "thinking", required: true, path: at + ".thinking")));
                    break;
                case "tool_use":
                    parts.Add(ToolUse(block, at, toolNames));
                    break;
                default:
                    throw Unsupported(type, at, "assistant");
            }
        }

        if (parts.Count > 0) into.Add(new ConversationMessage("assistant", parts));
        return "";
    }

    private static IEnumerable<(JsonElement Block, string Type, string Path)> Blocks(JsonElement content, string path)
    {
        if (content.ValueKind != JsonValueKind.Array) throw new BadRequest($"{path}.content: must be a string or an array of content blocks");
        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            var at = $"{path}.content.{j++}";
            if (block.ValueKind != JsonValueKind.Object) throw new BadRequest($"{at}: must be a content block object");
            yield return (block, Fields.String(block, "type", required: true, path: at + ".type")!, at);
        }
    }

    private static MessagePart Image(JsonElement block, string path)
    {
        Fields.Only(block, path + ".", ImageFields);
        CacheControl(block, path);
        if (!Fields.TryGet(block, "source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequest($"{path}.source: Field required (an object)");
        }

        var type = Fields.String(source, "type", required: true, path: path + ".source.type");
        if (type != "base64")
        {
            // The router fetches nothing, and has no file store.
            throw new BadRequest($"{path}.source.type: only \"base64\" images are supported (was \"{type}\")");
        }

        Fields.Only(source, path + ".source.", SourceFields);
        var mediaType = Fields.String(source, "media_type", required: true, path: path + ".source.media_type")!;
        if (!MediaTypes.Contains(mediaType))
        {
            throw new BadRequest($"{path}.source.media_type: must be one of {string.Join(", ", MediaTypes)} (was \"{mediaType}\")");
        }

        var data = Fields.String(source, "data", required: true, path: path + ".source.data")!;
        try
        {
            return new MessagePart(PartKind.Image, MediaType: mediaType, Data: Convert.FromBase64String(data));
        }
        catch (FormatException)
        {
            throw new BadRequest($"{path}.source.data: is not valid base64");
        }
    }

    private static MessagePart ToolUse(JsonElement block, string path, Dictionary<string, string> toolNames)
    {
        Fields.Only(block, path + ".", ToolUseFields);
        CacheControl(block, path);
        var id = Fields.String(block, "id", required: true, path: path + ".id")!;
        var name = Fields.String(block, "name", required: true, path: path + ".name")!;
        if (!Fields.TryGet(block, "input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequest($"{path}.input: must be an object");
        }

        if (Fields.TryGet(block, "caller", out var caller)
            && (caller.ValueKind != JsonValueKind.Object || Fields.String(caller, "type", required: true, path: path + ".caller.type") != "direct"))
        {
            // Calls made from server-side code execution have no meaning to a chat backend.
            throw new BadRequest($"{path}.caller: only {{\"type\": \"direct\"}} is supported");
        }

        toolNames[id] = name;
        return new MessagePart(PartKind.ToolCall, CallId: id, Name: name, Arguments: input.GetRawText());
    }

    private static MessagePart ToolResult(JsonElement block, string path, Dictionary<string, string> toolNames)
    {
        Fields.Only(block, path + ".", ToolResultFields);
        CacheControl(block, path);
        var id = Fields.String(block, "tool_use_id", required: true, path: path + ".tool_use_id")!;
        if (!toolNames.TryGetValue(id, out var name))
        {
            throw new BadRequest($"{path}.tool_use_id: no earlier tool_use block has the id \"{id}\"");
        }

        var text = "";
        if (Fields.TryGet(block, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString()!;
            }
            else
            {
                var texts = new List<string>();
                foreach (var (inner, type, at) in Blocks(content, path))
                {
                    // A tool result reaches the model as text: images in it have no place to go.
                    if (type != "text") throw new BadRequest($"{at}.type: a tool result may only hold text blocks (was \"{type}\")");
                    texts.Add(TextOf(inner, at));
                }

                text = string.Join("\n", texts);
            }
        }

        // Chat backends have no error flag on a tool result: the model reads it in the text.
        if (Fields.Bool(block, "is_error", path + ".is_error") == true) text = "Error: " + text;
        return new MessagePart(PartKind.ToolResult, Text: text, CallId: id, Name: name);
    }

    /// <summary>Prompt caching is a hint that changes no answer; the router has no prompt cache, so it only checks its shape.</summary>
    private static void CacheControl(JsonElement block, string path)
    {
        if (Fields.TryGet(block, "cache_control", out var cache) && cache.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequest($"{path}.cache_control: must be an object");
        }
    }

    private static BadRequest Unsupported(string type, string path, string role) => type switch
    {
        "redacted_thinking" => new BadRequest($"{path}.type: redacted_thinking blocks cannot be passed to the router's models"),
        "text" or "image" or "tool_use" or "tool_result" or "thinking" => new BadRequest($"{path}.type: a {role} message cannot hold a \"{type}\" block"),
        _ => new BadRequest($"{path}.type: \"{type}\" blocks are not supported by this router"),
    };

    private static string LastToolResultText(List<ConversationMessage> messages) =>
        messages.LastOrDefault(m => m.Role == "tool")?.Parts[0].Text ?? "";
}
