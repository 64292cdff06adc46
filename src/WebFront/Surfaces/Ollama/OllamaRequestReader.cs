using System.Buffers;
using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Reads Ollama request bodies, under <see cref="JsonBodyReader"/>'s rules: JSON or no content type
/// (Ollama's clients send <c>application/json</c>; a form or text body, curl's <c>-d</c> default, is a 415).
/// </summary>
public static class OllamaRequestReader
{
    /// <summary>Reads the whole body (at most <paramref name="maxBodyBytes"/>) and hands its JSON root to <paramref name="parse"/>.</summary>
    public static Task<(T? Value, RequestProblem? Problem)> ReadAsync<T>(
        HttpRequest request, int maxBodyBytes, Func<JsonElement, (T?, RequestProblem?)> parse, CancellationToken cancellationToken)
        where T : class =>
        JsonBodyReader.ReadAsync(request, maxBodyBytes, parse, cancellationToken);

    /// <summary><c>{"model", "messages": [{role, content}], "stream", "options"}</c>.</summary>
    public static (OllamaCall?, RequestProblem?) ParseChat(JsonElement root, int maxMessageBytes)
    {
        var (model, problem) = Model(root);
        if (problem is not null) return (null, problem);
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null
            || (messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() == 0))
        {
            return Call(OllamaOperation.Chat, root, model!, null, [], maxMessageBytes);
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            return (null, Invalid("invalid_messages", "The 'messages' field must be an array of {\"role\", \"content\"} objects."));
        }

        var turns = new List<ChatTurn>(messages.GetArrayLength());
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !TryString(message, "role", out var role) || string.IsNullOrWhiteSpace(role)
                || !TryString(message, "content", out var content))
            {
                return (null, Invalid("invalid_message", "Each message must be an object with a string 'role' and a string 'content'."));
            }

            turns.Add(new ChatTurn(role!, content ?? ""));
        }

        // The router answers the last user message; anything after it would be silently lost.
        var last = turns[^1];
        if (!string.Equals(last.Role, "user", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Invalid("last_message_not_user", "The last message must have the role 'user'."));
        }

        turns.RemoveAt(turns.Count - 1);
        return Call(OllamaOperation.Chat, root, model!, last.Content, turns, maxMessageBytes);
    }

    /// <summary><c>{"model", "prompt", "system", "stream", "options"}</c>.</summary>
    public static (OllamaCall?, RequestProblem?) ParseGenerate(JsonElement root, int maxMessageBytes)
    {
        var (model, problem) = Model(root);
        if (problem is not null) return (null, problem);
        if (!TryString(root, "prompt", out var prompt) || !TryString(root, "system", out var system))
        {
            return (null, Invalid("invalid_prompt", "The 'prompt' and 'system' fields must be strings."));
        }

        ChatTurn[] context = string.IsNullOrEmpty(system) ? [] : [new ChatTurn("system", system)];
        return Call(OllamaOperation.Generate, root, model!, string.IsNullOrEmpty(prompt) ? null : prompt, context, maxMessageBytes);
    }

    /// <summary><c>{"model"}</c> (older clients send <c>name</c>).</summary>
    public static (string?, RequestProblem?) ParseShow(JsonElement root)
    {
        if (root.TryGetProperty("model", out _)) return Model(root);
        if (TryString(root, "name", out var name) && !string.IsNullOrWhiteSpace(name)) return (name, null);
        return (null, Invalid("model_missing", "The 'model' field is required."));
    }

    private static (OllamaCall?, RequestProblem?) Call(
        OllamaOperation operation, JsonElement root, string model, string? message, IReadOnlyList<ChatTurn> context, int maxMessageBytes)
    {
        if (message is not null && string.IsNullOrWhiteSpace(message))
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
            if (s.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, Invalid("invalid_stream", "The 'stream' field must be true or false."));
            stream = s.GetBoolean();
        }

        var (settings, problem) = OllamaOptionsReader.Read(root);
        return problem is null ? (new OllamaCall(operation, model, message, context, settings, stream), null) : (null, problem);
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
