using System.Text.Json;
using Router.WebFront.Completions;

namespace Router.WebFront.Surfaces.Ollama;

/// <summary>
/// Ollama request fields the router cannot honour through a chat request to its backends: each is a
/// 400 naming the field when set to anything but its default, never silently dropped.
/// </summary>
internal static class OllamaUnsupported
{
    public static RequestProblem? Check(JsonElement root, OllamaOperation operation)
    {
        if (operation == OllamaOperation.Generate)
        {
            // /api/generate goes to the model as a chat of a system and a user message.
            if (NonEmptyString(root, "suffix")) return Refuse("suffix", "fill-in-the-middle ('suffix') is not supported; send the text before and after in the prompt");
            if (NonEmptyString(root, "template")) return Refuse("template", "a prompt 'template' is not supported; the model's own template applies");
            if (IsTrue(root, "raw")) return Refuse("raw", "'raw' prompts are not supported; the model's own template applies");
            if (root.TryGetProperty("context", out var context) && context.ValueKind != JsonValueKind.Null
                && !(context.ValueKind == JsonValueKind.Array && context.GetArrayLength() == 0))
            {
                return Refuse("context", "'context' token lists are not supported; use /api/chat and send the conversation");
            }
        }
        else if (NonEmptyString(root, "template"))
        {
            return Refuse("template", "a prompt 'template' is not supported; the model's own template applies");
        }

        if (IsTrue(root, "logprobs")) return Refuse("logprobs", "log probabilities ('logprobs') are not supported");
        if (root.TryGetProperty("top_logprobs", out var top) && top.ValueKind != JsonValueKind.Null
            && !(top.ValueKind == JsonValueKind.Number && top.TryGetInt32(out var n) && n == 0))
        {
            return Refuse("top_logprobs", "log probabilities ('top_logprobs') are not supported");
        }

        if (IsFalse(root, "truncate")) return Refuse("truncate", "'truncate': false is not supported; the backend truncates a long conversation");
        if (IsFalse(root, "shift")) return Refuse("shift", "'shift': false is not supported; the backend shifts the context when it fills");
        if (IsTrue(root, "_debug_render_only")) return Refuse("_debug_render_only", "'_debug_render_only' is not supported");
        return null;
    }

    /// <summary>Set, and not the default value: a wrong type counts as set, so it is refused too.</summary>
    private static bool NonEmptyString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null && !(value.ValueKind == JsonValueKind.String && value.GetString() == "");

    private static bool IsTrue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.False);

    private static bool IsFalse(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.True);

    private static RequestProblem Refuse(string field, string detail) =>
        OllamaRequestReader.Invalid("unsupported_field", $"The router cannot honour '{field}': {detail}.");
}
