using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Reads Ollama request bodies into what the model gets, whole: the conversation as sent (no session
/// turns are added), tools, format, thinking, every option. Bodies follow <see cref="JsonBodyReader"/>'s
/// rules: JSON or no content type (Ollama's clients send <c>application/json</c>; a form or text body,
/// curl's <c>-d</c> default, is a 415). Fields the router cannot honour are refused by name
/// (<see cref="OllamaUnsupported"/>); fields Ollama itself does not know are ignored, as Ollama ignores them.
/// </summary>
public static class OllamaRequestReader
{
    /// <summary>Reads the whole body (at most <paramref name="maxBodyBytes"/>) and hands its JSON root to <paramref name="parse"/>.</summary>
    public static Task<(T? Value, RequestProblem? Problem)> ReadAsync<T>(
        HttpRequest request, int maxBodyBytes, Func<JsonElement, (T?, RequestProblem?)> parse, CancellationToken cancellationToken)
        where T : class =>
        JsonBodyReader.ReadAsync(request, maxBodyBytes, parse, cancellationToken);

    /// <summary><c>{"model", "messages", "tools", "format", "think", "options", "keep_alive", "stream"}</c>.</summary>
    public static (OllamaCall?, RequestProblem?) ParseChat(JsonElement root, int maxMessageBytes)
    {
        var (model, problem) = Model(root);
        problem ??= OllamaUnsupported.Check(root, OllamaOperation.Chat);
        if (problem is not null) return (null, problem);
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null
            || (messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() == 0))
        {
            return Call(OllamaOperation.Chat, root, model!, null, null, maxMessageBytes);
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            return (null, Invalid("invalid_messages", "'messages' must be an array of {\"role\", \"content\"} objects."));
        }

        var conversation = new List<ConversationMessage>(messages.GetArrayLength());
        foreach (var element in messages.EnumerateArray())
        {
            var (message, bad) = OllamaMessageReader.Read(element, conversation.Count);
            if (bad is not null) return (null, bad);
            conversation.Add(message!);
        }

        // The model answers a user's message or a tool's result; after anything else there is nothing to answer.
        if (conversation[^1].Role is not (OllamaMessageReader.User or OllamaMessageReader.Tool))
        {
            return (null, Invalid("last_message_not_user", "The last message must have the role 'user' or 'tool'."));
        }

        var lastUser = conversation.FindLast(m => m.Role == OllamaMessageReader.User);
        if (lastUser is null) return (null, Invalid("no_user_message", "The conversation has no message with the role 'user'."));

        var (tools, toolProblem) = OllamaToolReader.ReadTools(root);
        if (toolProblem is not null) return (null, toolProblem);
        var (format, formatProblem) = OllamaToolReader.ReadFormat(root);
        if (formatProblem is not null) return (null, formatProblem);
        return Call(OllamaOperation.Chat, root, model!, lastUser, new ModelInput(conversation, tools, null, format), maxMessageBytes);
    }

    /// <summary><c>{"model", "prompt", "system", "images", "format", "think", "options", "keep_alive", "stream"}</c>.</summary>
    public static (OllamaCall?, RequestProblem?) ParseGenerate(JsonElement root, int maxMessageBytes)
    {
        var (model, problem) = Model(root);
        problem ??= OllamaUnsupported.Check(root, OllamaOperation.Generate);
        if (problem is not null) return (null, problem);
        if (!TryString(root, "prompt", out var prompt) || !TryString(root, "system", out var system))
        {
            return (null, Invalid("invalid_prompt", "'prompt' and 'system' must be strings."));
        }

        var parts = new List<MessagePart>(1);
        if (!string.IsNullOrEmpty(prompt)) parts.Add(MessagePart.FromText(prompt));
        if (root.TryGetProperty("images", out var images) && OllamaImages.Read(images, "images", parts) is { } badImage)
        {
            return (null, badImage);
        }

        if (parts.Count == 0) return Call(OllamaOperation.Generate, root, model!, null, null, maxMessageBytes);

        var (format, formatProblem) = OllamaToolReader.ReadFormat(root);
        if (formatProblem is not null) return (null, formatProblem);
        var user = new ConversationMessage(OllamaMessageReader.User, parts);
        ConversationMessage[] conversation = string.IsNullOrEmpty(system)
            ? [user]
            : [ConversationMessage.FromText(OllamaMessageReader.System, system), user];
        return Call(OllamaOperation.Generate, root, model!, user, new ModelInput(conversation, Format: format), maxMessageBytes);
    }

    /// <summary><c>{"model"}</c> (older clients send <c>name</c>).</summary>
    public static (string?, RequestProblem?) ParseShow(JsonElement root)
    {
        if (root.TryGetProperty("model", out _)) return Model(root);
        if (TryString(root, "name", out var name) && !string.IsNullOrWhiteSpace(name)) return (name, null);
        return (null, Invalid("model_missing", "The 'model' field is required."));
    }

    private static (OllamaCall?, RequestProblem?) Call(
        OllamaOperation operation, JsonElement root, string model, ConversationMessage? routed, ModelInput? input, int maxMessageBytes)
    {
        // The classifier routes on the text; an image alone is enough for the model.
        var message = routed?.Text;
        if (routed is not null && string.IsNullOrWhiteSpace(message) && !routed.Parts.Any(p => p.Kind == PartKind.Image))
        {
            return (null, Invalid("message_empty", operation == OllamaOperation.Chat ? "The last user message is empty." : "The 'prompt' field is empty."));
        }

        if (message is not null && Encoding.UTF8.GetByteCount(message) > maxMessageBytes)
        {
            return (null, new RequestProblem(StatusCodes.Status413PayloadTooLarge, "message_too_large", "Message too large",
                $"The message is longer than {maxMessageBytes} bytes."));
        }

        var stream = true;
        if (root.TryGetProperty("stream", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, Invalid("invalid_stream", "'stream' must be true or false."));
            stream = s.GetBoolean();
        }

        var (settings, problem) = OllamaOptionsReader.Read(root);
        return problem is null ? (new OllamaCall(operation, model, message, input, settings, stream), null) : (null, problem);
    }

    private static (string?, RequestProblem?) Model(JsonElement root) =>
        TryString(root, "model", out var model) && !string.IsNullOrWhiteSpace(model)
            ? (model, null)
            : (null, Invalid("model_missing", "The 'model' field is required (a model name, or \"auto\" to let the router choose)."));

    /// <summary>False when the field is there but not a string; an absent or null field is a null value.</summary>
    internal static bool TryString(JsonElement parent, string name, out string? value)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString();
        return true;
    }

    internal static RequestProblem Invalid(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Invalid request", detail);
}
