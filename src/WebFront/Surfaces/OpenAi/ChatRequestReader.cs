using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>Reads and validates a chat completion request; every problem is an <see cref="OpenAiError"/>.</summary>
internal static class ChatRequestReader
{
    public static async Task<(ChatRequest? Request, OpenAiError? Error)> ReadAsync(HttpRequest http, int maxBodyBytes, int maxMessageBytes, CancellationToken cancellationToken)
    {
        var (parsed, problem) = await JsonBodyReader.ReadAsync<(ChatRequest?, OpenAiError?)>(
            http, maxBodyBytes, root => (Parse(root, maxMessageBytes), null), cancellationToken);
        if (problem is null) return parsed;
        return (null, problem.Status == StatusCodes.Status400BadRequest ? OpenAiError.Invalid(problem.Detail) : OpenAiError.FromProblem(problem));
    }

    private static (ChatRequest?, OpenAiError?) Parse(JsonElement root, int maxMessageBytes)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return (null, OpenAiError.Invalid("'model' is required (use \"auto\" to let the router choose).", "model"));
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return (null, OpenAiError.Invalid("'messages' must be a non-empty array.", "messages"));
        }

        var turns = new List<ChatTurn>();
        foreach (var m in messages.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                return (null, OpenAiError.Invalid("Each message needs a 'role'.", "messages"));
            }

            turns.Add(new ChatTurn(role.GetString()!, ContentOf(m)));
        }

        var last = turns.FindLastIndex(t => t.Role == "user");
        if (last < 0 || string.IsNullOrWhiteSpace(turns[last].Content))
        {
            return (null, OpenAiError.Invalid("The conversation needs a non-empty user message.", "messages"));
        }

        if (Encoding.UTF8.GetByteCount(turns[last].Content) > maxMessageBytes)
        {
            return (null, new OpenAiError(StatusCodes.Status413PayloadTooLarge, $"The last user message is longer than {maxMessageBytes} bytes.", "invalid_request_error", "message_too_large", "messages"));
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var usage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        var context = turns.Take(last).ToArray();
        return (new ChatRequest(model.GetString()!, turns[last].Content, context, stream, usage, Settings(root)), null);
    }

    /// <summary>A message's text: a string, or the text parts of a content array.</summary>
    private static string ContentOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content)) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) return "";
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) text.Append(t.GetString());
        }

        return text.ToString();
    }

    private static GenerationSettings? Settings(JsonElement root)
    {
        float? Float(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : null;
        int? Int(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
        long? seed = root.TryGetProperty("seed", out var sd) && sd.ValueKind == JsonValueKind.Number && sd.TryGetInt64(out var l) ? l : null;
        string[]? stop = root.TryGetProperty("stop", out var st) ? st.ValueKind switch
        {
            JsonValueKind.String => [st.GetString()!],
            JsonValueKind.Array => st.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray(),
            _ => null,
        } : null;
        var settings = new GenerationSettings(Float("temperature"), Float("top_p"), Int("max_completion_tokens") ?? Int("max_tokens"), stop, seed);
        return settings == new GenerationSettings() ? null : settings;
    }
}
