using System.Text.Json;
using Router.OllamaSimulator.Generation;
using static Router.OllamaSimulator.Requests.JsonFields;

namespace Router.OllamaSimulator.Requests;

/// <summary>Reads <c>/api/chat</c> and <c>/api/generate</c> bodies whole: messages, images, tools, format, think, options, keep_alive.</summary>
internal static class OllamaRequestReader
{
    private static readonly string[] ThinkLevels = ["low", "medium", "high"];

    public static SimulatedCall ReadChat(RequestBody body)
    {
        var root = body.Root;
        var messages = new List<SimulatedMessage>();
        if (Array(root, "messages", string.Empty) is { } array)
        {
            var i = 0;
            foreach (var message in array.EnumerateArray())
            {
                messages.Add(ReadMessage(message, At("messages", i++)));
            }
        }

        var lastUser = messages.LastOrDefault(m => string.Equals(m.Role, "user", StringComparison.OrdinalIgnoreCase))?.Content;
        var words = messages.Sum(m => SimulatedCall.CountWords(m.Content));
        return Call(SimulatedEndpoint.Chat, root, body.Raw, messages, lastUser, words);
    }

    public static SimulatedCall ReadGenerate(RequestBody body)
    {
        var root = body.Root;
        var system = String(root, "system", string.Empty);
        var prompt = String(root, "prompt", string.Empty);
        var messages = new List<SimulatedMessage>();
        if (system is not null)
        {
            messages.Add(new SimulatedMessage("system", system, [system], [], []));
        }

        messages.Add(new SimulatedMessage("user", prompt, prompt is null ? [] : [prompt], ReadImages(root, string.Empty), []));
        var words = SimulatedCall.CountWords(system) + SimulatedCall.CountWords(prompt);
        return Call(SimulatedEndpoint.Generate, root, body.Raw, messages, prompt, words);
    }

    private static SimulatedCall Call(SimulatedEndpoint endpoint, JsonElement root, string raw, List<SimulatedMessage> messages, string? directiveText, int words)
    {
        var options = Object(root, "options", string.Empty);
        var content = new SimulatedRequestContent
        {
            Messages = messages,
            Tools = ToolReader.ReadTools(root),
            ResponseFormat = ReadFormat(root),
            Think = ReadThink(root),
            KeepAlive = Scalar(root, "keep_alive"),
            OptionsJson = options?.GetRawText(),
            RawBody = raw,
        };
        var parameters = options is { } o ? ReadOptions(o) : SimulatedParameters.None;
        return new SimulatedCall(endpoint, String(root, "model", string.Empty), directiveText, Bool(root, "stream", string.Empty) ?? true, words, parameters, Content: content);
    }

    private static SimulatedMessage ReadMessage(JsonElement message, string path)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException($"{path} must be an object");
        }

        var content = String(message, "content", path);
        return new SimulatedMessage(
            String(message, "role", path) ?? string.Empty,
            content,
            content is null ? [] : [content],
            ReadImages(message, path),
            ToolReader.ReadCalls(message, path),
            ToolCallId: String(message, "tool_call_id", path),
            ToolName: String(message, "tool_name", path),
            Thinking: String(message, "thinking", path));
    }

    private static IReadOnlyList<SimulatedImage> ReadImages(JsonElement obj, string path)
    {
        var prefix = path.Length == 0 ? "images" : path + ".images";
        if (Array(obj, "images", path) is not { } images)
        {
            return [];
        }

        var result = new List<SimulatedImage>();
        var i = 0;
        foreach (var image in images.EnumerateArray())
        {
            var at = At(prefix, i++);
            result.Add(image.ValueKind == JsonValueKind.String
                ? ImageReader.FromBase64(image.GetString()!, at)
                : throw new BadRequestException($"{at} must be a base64 string"));
        }

        return result;
    }

    /// <summary><c>"format":"json"</c> or a JSON schema object.</summary>
    private static SimulatedResponseFormat? ReadFormat(JsonElement root)
    {
        if (!TryGet(root, "format", out var format))
        {
            return null;
        }

        return format.ValueKind switch
        {
            JsonValueKind.String when format.GetString() is "" => null,
            JsonValueKind.String when format.GetString() is "json" => new SimulatedResponseFormat("json"),
            JsonValueKind.Object => new SimulatedResponseFormat("json_schema", format.GetRawText()),
            _ => throw new BadRequestException($"invalid format: {format.GetRawText()} (expected \"json\" or a JSON schema object)"),
        };
    }

    private static string? ReadThink(JsonElement root)
    {
        if (!TryGet(root, "think", out var think))
        {
            return null;
        }

        return think.ValueKind switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.String when ThinkLevels.Contains(think.GetString()) => think.GetString(),
            _ => throw new BadRequestException($"invalid think value: {think.GetRawText()} (must be true, false, \"low\", \"medium\" or \"high\")"),
        };
    }

    private static SimulatedParameters ReadOptions(JsonElement options)
    {
        const string Path = "options";
        var numPredict = Int(options, "num_predict", Path);
        return new SimulatedParameters(
            Double(options, "temperature", Path),
            Double(options, "top_p", Path),
            numPredict is > 0 ? numPredict : null,
            Stop(options, Path),
            Long(options, "seed", Path),
            Int(options, "top_k", Path),
            Double(options, "frequency_penalty", Path),
            Double(options, "presence_penalty", Path),
            numPredict is > 0 ? "num_predict" : null);
    }
}
