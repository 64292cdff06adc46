using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;
using static Router.WebFront.Surfaces.Responses.JsonFields;

namespace Router.WebFront.Surfaces.Responses;

/// <summary>
/// Reads and validates a <c>POST /v1/responses</c> body. Every top-level field is passed on, mapped,
/// accepted as having no effect on generation (and repeated in the response object), or refused
/// with a 400 naming it; an unknown field is refused as OpenAI refuses it. docs/responses-api.md
/// lists which is which.
/// </summary>
internal static class ResponsesRequestReader
{
    private static readonly HashSet<string> Fields =
    [
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "text", "reasoning", "max_output_tokens",
        "temperature", "top_p", "store", "stream", "stream_options", "previous_response_id", "metadata", "user", "safety_identifier",
        "prompt_cache_key", "include", "truncation", "service_tier", "background", "top_logprobs", "max_tool_calls", "prompt", "conversation",
    ];

    private static readonly HashSet<string> ReasoningFields = ["effort", "summary", "generate_summary"];

    public static async Task<(ResponsesRequest? Request, ResponsesError? Error)> ReadAsync(HttpRequest http, int maxBodyBytes, int maxMessageBytes, CancellationToken cancellationToken)
    {
        var (parsed, problem) = await JsonBodyReader.ReadAsync<(ResponsesRequest?, ResponsesError?)>(
            http, maxBodyBytes, root => (Parse(root, maxMessageBytes), null), cancellationToken);
        if (problem is null) return parsed;
        return (null, problem.Status == StatusCodes.Status400BadRequest ? ResponsesError.Invalid(problem.Detail) : ResponsesError.FromProblem(problem));
    }

    internal static (ResponsesRequest?, ResponsesError?) Parse(JsonElement root, int maxMessageBytes)
    {
        try
        {
            return (Read(root, maxMessageBytes), null);
        }
        catch (RequestRefused refused)
        {
            return (null, refused.Error);
        }
    }

    private static ResponsesRequest Read(JsonElement root, int maxMessageBytes)
    {
        OnlyKnown(root, "", Fields);
        RefuseUnsupported(root);
        var model = RequiredString(root, "model", "model");
        if (Optional(root, "input", "input") is not { } inputElement) throw Invalid("input", "'input' is required (a string or an array of items).");
        var input = ResponsesInputReader.Read(inputElement);
        if (input.LastOrDefault(m => m.Role == "user") is { } last && System.Text.Encoding.UTF8.GetByteCount(last.Text) > maxMessageBytes)
        {
            throw new RequestRefused(new ResponsesError(StatusCodes.Status413PayloadTooLarge,
                $"The last user message is longer than {maxMessageBytes} bytes.", "invalid_request_error", "message_too_large", "input"));
        }

        var tools = ResponsesToolsReader.Tools(root);
        var choice = ResponsesToolsReader.Choice(root, tools);
        var format = ResponsesToolsReader.Format(root);
        var reasoning = Reasoning(root);
        var temperature = Number(root, "temperature", "temperature", 0, 2);
        var topP = Number(root, "top_p", "top_p", 0, 1);
        var maxTokens = Integer(root, "max_output_tokens", "max_output_tokens", 1);
        var settings = new GenerationSettings(temperature, topP, maxTokens, Reasoning: reasoning);
        var previous = String(root, "previous_response_id", "previous_response_id");
        if (previous is { Length: 0 or > 128 }) throw Invalid("previous_response_id", "'previous_response_id' must be a response id.");

        var echo = new ResponseEcho(
            Raw(root, "tools"), Raw(root, "tool_choice"), Raw(root, "text"), Raw(root, "reasoning"), Metadata(root),
            temperature, topP, maxTokens,
            String(root, "user", "user"), String(root, "safety_identifier", "safety_identifier"), String(root, "prompt_cache_key", "prompt_cache_key"),
            String(root, "service_tier", "service_tier"));
        StreamOptions(root);
        return new ResponsesRequest(model, input, String(root, "instructions", "instructions"), tools, choice, format,
            settings == new GenerationSettings() ? null : settings,
            Bool(root, "stream", "stream") ?? false, Bool(root, "store", "store") ?? true, previous,
            Bool(root, "parallel_tool_calls", "parallel_tool_calls") ?? true, echo);
    }

    /// <summary>Fields whose default the router honours and whose other values it cannot.</summary>
    private static void RefuseUnsupported(JsonElement root)
    {
        if (Bool(root, "background", "background") == true) throw Unsupported("background", "background responses (answer in the request, streamed or not).");
        if (Integer(root, "top_logprobs", "top_logprobs", 0) > 0) throw Unsupported("top_logprobs", "log probabilities.");
        if (Optional(root, "max_tool_calls", "max_tool_calls") is not null) throw Unsupported("max_tool_calls", "a limit on hosted tool calls (the router runs no hosted tools).");
        if (Optional(root, "prompt", "prompt") is not null) throw Unsupported("prompt", "stored prompt templates.");
        if (Optional(root, "conversation", "conversation") is not null) throw Unsupported("conversation", "conversation objects (continue with previous_response_id).");
        if (String(root, "truncation", "truncation") is { } truncation and not "disabled") throw Unsupported("truncation", "truncation other than disabled.");
        if (String(root, "service_tier", "service_tier") is { } tier and not ("auto" or "default")) throw Unsupported("service_tier", $"service tier '{tier}'.");
        if (Array(root, "include", "include") is { } include)
        {
            var index = 0;
            foreach (var value in include.EnumerateArray())
            {
                var path = $"include[{index++}]";
                if (value.ValueKind != JsonValueKind.String || value.GetString() != "reasoning.encrypted_content")
                {
                    throw Unsupported(path, "included output other than reasoning.encrypted_content.");
                }
            }
        }
    }

    /// <summary><c>reasoning.effort</c> as the core's reasoning setting: none turns thinking off, minimal is low; null leaves the model's default.</summary>
    private static string? Reasoning(JsonElement root)
    {
        if (Object(root, "reasoning", "reasoning") is not { } reasoning) return null;
        OnlyKnown(reasoning, "reasoning.", ReasoningFields);
        foreach (var field in (string[])["summary", "generate_summary"])
        {
            if (String(reasoning, field, "reasoning." + field) is { } summary and not ("auto" or "concise" or "detailed"))
            {
                throw Invalid("reasoning." + field, $"'reasoning.{field}' must be auto, concise or detailed.");
            }
        }

        return String(reasoning, "effort", "reasoning.effort") switch
        {
            null => null,
            "none" => "off",
            "minimal" or "low" => "low",
            "medium" => "medium",
            "high" => "high",
            var other => throw Unsupported("reasoning.effort", $"effort '{other}' (none, minimal, low, medium or high)."),
        };
    }

    private static string? Metadata(JsonElement root)
    {
        if (Object(root, "metadata", "metadata") is not { } metadata) return null;
        var count = 0;
        foreach (var entry in metadata.EnumerateObject())
        {
            if (++count > 16 || entry.Name.Length > 64 || entry.Value.ValueKind != JsonValueKind.String || entry.Value.GetString()!.Length > 512)
            {
                throw Invalid("metadata", "'metadata' holds at most 16 string values, keys of up to 64 and values of up to 512 characters.");
            }
        }

        return metadata.GetRawText();
    }

    private static void StreamOptions(JsonElement root)
    {
        if (Object(root, "stream_options", "stream_options") is not { } options) return;
        OnlyKnown(options, "stream_options.", new HashSet<string> { "include_obfuscation" });
        Bool(options, "include_obfuscation", "stream_options.include_obfuscation");
    }

    private static string? Raw(JsonElement root, string name) => Optional(root, name, name)?.GetRawText();
}
