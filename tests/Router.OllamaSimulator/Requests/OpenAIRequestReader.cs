using System.Text.Json;
using Router.OllamaSimulator.Generation;
using static Router.OllamaSimulator.Requests.JsonFields;

namespace Router.OllamaSimulator.Requests;

/// <summary>
/// Reads <c>/v1/chat/completions</c> bodies whole: messages with text and <c>image_url</c> parts, assistant
/// <c>tool_calls</c>, <c>tool</c> messages, <c>tools</c>, <c>tool_choice</c>, <c>response_format</c>,
/// <c>reasoning_effort</c> and the sampling fields.
/// </summary>
internal static class OpenAIRequestReader
{
    public static (SimulatedCall Call, bool IncludeUsage) ReadChat(RequestBody body, string? apiKey)
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

        var content = new SimulatedRequestContent
        {
            Messages = messages,
            Tools = ToolReader.ReadTools(root),
            ToolChoice = Scalar(root, "tool_choice"),
            ParallelToolCalls = Bool(root, "parallel_tool_calls", string.Empty),
            ResponseFormat = ReadResponseFormat(root),
            ReasoningEffort = String(root, "reasoning_effort", string.Empty),
            RawBody = body.Raw,
        };

        var maxCompletion = Int(root, "max_completion_tokens", string.Empty);
        var max = Int(root, "max_tokens", string.Empty);
        var parameters = new SimulatedParameters(
            Double(root, "temperature", string.Empty),
            Double(root, "top_p", string.Empty),
            maxCompletion ?? max,
            Stop(root, string.Empty),
            Long(root, "seed", string.Empty),
            Int(root, "top_k", string.Empty),
            Double(root, "frequency_penalty", string.Empty),
            Double(root, "presence_penalty", string.Empty),
            maxCompletion is not null ? "max_completion_tokens" : max is not null ? "max_tokens" : null);

        var lastUser = messages.LastOrDefault(m => string.Equals(m.Role, "user", StringComparison.OrdinalIgnoreCase))?.Content;
        var words = messages.Sum(m => SimulatedCall.CountWords(m.Content));
        var stream = Bool(root, "stream", string.Empty) ?? false;
        var includeUsage = Object(root, "stream_options", string.Empty) is { } so && Bool(so, "include_usage", "stream_options") == true;
        var call = new SimulatedCall(SimulatedEndpoint.ChatCompletions, String(root, "model", string.Empty), lastUser, stream, words, parameters, apiKey, content);
        return (call, stream && includeUsage);
    }

    private static SimulatedMessage ReadMessage(JsonElement message, string path)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException($"{path} must be an object");
        }

        var parts = new List<string>();
        var images = new List<SimulatedImage>();
        if (TryGet(message, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                parts.Add(content.GetString()!);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                ReadParts(content, path + ".content", parts, images);
            }
            else
            {
                throw new BadRequestException($"{path}.content must be a string or an array of content parts");
            }
        }

        return new SimulatedMessage(
            String(message, "role", path) ?? string.Empty,
            parts.Count == 0 ? null : string.Concat(parts),
            parts,
            images,
            ToolReader.ReadCalls(message, path),
            ToolCallId: String(message, "tool_call_id", path),
            ToolName: String(message, "name", path),
            Thinking: String(message, "reasoning_content", path));
    }

    private static void ReadParts(JsonElement content, string path, List<string> parts, List<SimulatedImage> images)
    {
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var at = At(path, i++);
            switch (String(part, "type", at))
            {
                case "text":
                    parts.Add(String(part, "text", at) ?? string.Empty);
                    break;
                case "image_url":
                    var image = Object(part, "image_url", at) ?? throw new BadRequestException($"{at}.image_url is required");
                    var url = String(image, "url", at + ".image_url") ?? throw new BadRequestException($"{at}.image_url.url is required");
                    images.Add(ImageReader.FromUrl(url, String(image, "detail", at + ".image_url"), at));
                    break;
                case null:
                    throw new BadRequestException($"{at}.type is required");
                default:
                    // Audio, files and refusals are accepted and not modelled, as a tolerant server does.
                    break;
            }
        }
    }

    private static SimulatedResponseFormat? ReadResponseFormat(JsonElement root)
    {
        if (Object(root, "response_format", string.Empty) is not { } format)
        {
            return null;
        }

        var type = String(format, "type", "response_format");
        switch (type)
        {
            case "text":
            case "json_object":
                return new SimulatedResponseFormat(type);
            case "json_schema":
                var schema = Object(format, "json_schema", "response_format")
                    ?? throw new BadRequestException("response_format.json_schema is required when type is json_schema");
                return new SimulatedResponseFormat(
                    type,
                    TryGet(schema, "schema", out var s) ? s.GetRawText() : null,
                    String(schema, "name", "response_format.json_schema"),
                    Bool(schema, "strict", "response_format.json_schema"));
            default:
                throw new BadRequestException($"response_format.type must be text, json_object or json_schema (was {type ?? "missing"})");
        }
    }
}
