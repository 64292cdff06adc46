using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Route;

/// <summary>
/// What a body of any surface needs of a model, read from its JSON as the surfaces carry it: images
/// (OpenAI's <c>image_url</c> and <c>input_image</c> parts, Ollama's <c>images</c>, Anthropic's
/// <c>image</c> blocks), offered tools (unless the choice is <c>none</c>), a JSON format, thinking,
/// and the prompt's size.
/// </summary>
internal static class RouteNeeds
{
    public static RequestNeeds Of(JsonElement root)
    {
        var vision = false;
        var textBytes = 0L;
        if (root.TryGetProperty("images", out var topImages) && topImages.ValueKind == JsonValueKind.Array && topImages.GetArrayLength() > 0) vision = true;
        foreach (var name in new[] { "messages", "input" })
        {
            if (!root.TryGetProperty(name, out var messages) || messages.ValueKind != JsonValueKind.Array) continue;
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object) continue;
                if (message.TryGetProperty("images", out var images) && images.ValueKind == JsonValueKind.Array && images.GetArrayLength() > 0) vision = true;
                if (!message.TryGetProperty("content", out var content)) continue;
                if (content.ValueKind == JsonValueKind.String) textBytes += content.GetString()!.Length;
                if (content.ValueKind != JsonValueKind.Array) continue;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object) continue;
                    if (part.TryGetProperty("type", out var type) && type.GetString() is "image_url" or "input_image" or "image") vision = true;
                    if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String) textBytes += text.GetString()!.Length;
                }
            }
        }

        foreach (var name in new[] { "message", "prompt", "system" })
        {
            if (root.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String) textBytes += text.GetString()!.Length;
        }

        var tools = root.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0
            && !(root.TryGetProperty("tool_choice", out var choice) && (choice.ValueKind == JsonValueKind.String && choice.GetString() == "none"
                || choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type", out var ct) && ct.GetString() == "none"));
        var format = root.TryGetProperty("response_format", out var rf) && rf.ValueKind == JsonValueKind.Object
                && rf.TryGetProperty("type", out var rft) && rft.GetString() is "json_object" or "json_schema"
            || root.TryGetProperty("format", out var f) && f.ValueKind is JsonValueKind.Object || f.ValueKind == JsonValueKind.String && f.GetString() == "json"
            || root.TryGetProperty("text", out var tx) && tx.ValueKind == JsonValueKind.Object && tx.TryGetProperty("format", out var txf)
                && txf.ValueKind == JsonValueKind.Object && txf.TryGetProperty("type", out var txft) && txft.GetString() is "json_object" or "json_schema";
        var thinking = root.TryGetProperty("think", out var think) && (think.ValueKind == JsonValueKind.True || think.ValueKind == JsonValueKind.String)
            || root.TryGetProperty("reasoning_effort", out var effort) && effort.ValueKind == JsonValueKind.String && effort.GetString() is not ("none" or "minimal")
            || root.TryGetProperty("thinking", out var th) && th.ValueKind == JsonValueKind.Object && th.TryGetProperty("type", out var tht) && tht.GetString() == "enabled"
            || root.TryGetProperty("reasoning", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("effort", out var re) && re.GetString() is not (null or "none" or "minimal");
        return new RequestNeeds(vision, tools, thinking, format, (int)Math.Min(int.MaxValue, textBytes / 4 + 1));
    }

    /// <summary>The needs as a list of words for the route answer.</summary>
    public static string[] Describe(RequestNeeds needs)
    {
        var words = new List<string>();
        if (needs.Vision) words.Add("vision");
        if (needs.Tools) words.Add("tools");
        if (needs.Thinking) words.Add("thinking");
        if (needs.StructuredOutput) words.Add("structured_output");
        return [.. words];
    }
}
