using System.Text;
using System.Text.Json;
using Router.Grains.Interfaces;
using Router.WebFront.Completions;
using static Router.WebFront.Surfaces.OpenAi.ChatJson;

namespace Router.WebFront.Surfaces.OpenAi;

/// <summary>
/// Reads and validates a chat completion request whole; every problem is an <see cref="OpenAiError"/>
/// naming the parameter. Every top-level parameter is passed on, mapped, accepted because ignoring it
/// changes nothing about the answer, or refused (docs/openai-chat-parameters.md); an unknown one is
/// refused, as OpenAI refuses it.
/// </summary>
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
        try
        {
            return (Read(root, maxMessageBytes), null);
        }
        catch (ChatRequestRefused refused)
        {
            return (null, refused.Error);
        }
    }

    private static ChatRequest Read(JsonElement root, int maxMessageBytes)
    {
        foreach (var parameter in root.EnumerateObject()) Check(parameter.Name, parameter.Value);

        if (Member(root, "model") is not { ValueKind: JsonValueKind.String } model || string.IsNullOrWhiteSpace(model.GetString()))
        {
            throw Refuse(OpenAiError.Invalid("'model' is required (use \"auto\" to let the router choose).", "model"));
        }

        var messages = ChatMessagesReader.Read(Member(root, "messages"));
        var routingText = RoutingText(messages, maxMessageBytes);
        var tools = ChatToolsReader.Tools(Member(root, "tools"));
        var input = new ModelInput(messages, tools, ChatToolsReader.Choice(Member(root, "tool_choice"), tools), ChatToolsReader.Format(Member(root, "response_format")));

        var stream = Member(root, "stream") is var s && !IsAbsent(s) && Bool(s, "stream");
        var includeUsage = false;
        if (Member(root, "stream_options") is var so && !IsAbsent(so))
        {
            OnlyKnown(Object(so, "stream_options"), "stream_options", "include_usage", "include_obfuscation");
            includeUsage = Member(so, "include_usage") is var iu && !IsAbsent(iu) && Bool(iu, "stream_options.include_usage");
            if (Member(so, "include_obfuscation") is var io && !IsAbsent(io)) Bool(io, "stream_options.include_obfuscation");
        }

        return new ChatRequest(model.GetString()!, routingText, input, stream, includeUsage, ChatSettingsReader.Read(root));
    }

    /// <summary>
    /// The classifier routes on the last user message that has text, so a conversation that ends
    /// with tool results routes as its user's question did.
    /// </summary>
    private static string RoutingText(List<ConversationMessage> messages, int maxMessageBytes)
    {
        var last = messages.FindLast(m => m.Role == "user" && !string.IsNullOrWhiteSpace(m.Text));
        if (last is null) throw Refuse(OpenAiError.Invalid("The conversation needs a non-empty user message.", "messages"));

        var text = last.Text;
        if (Encoding.UTF8.GetByteCount(text) > maxMessageBytes)
        {
            throw Refuse(new OpenAiError(StatusCodes.Status413PayloadTooLarge, $"The last user message is longer than {maxMessageBytes} bytes.", "invalid_request_error", "message_too_large", "messages"));
        }

        return text;
    }

    /// <summary>Refuses what cannot be honoured and what is unknown; the parameters read elsewhere pass.</summary>
    private static void Check(string name, JsonElement value)
    {
        switch (name)
        {
            case "model" or "messages" or "stream" or "stream_options" or "tools" or "tool_choice" or "response_format":
            case "temperature" or "top_p" or "top_k" or "max_tokens" or "max_completion_tokens" or "seed" or "stop":
            case "frequency_penalty" or "presence_penalty" or "reasoning_effort":
                return;
            case "user" or "safety_identifier" or "prompt_cache_key" or "prompt_cache_retention":
                // Accepted, not used: identifiers and cache hints that change nothing about the answer.
                if (!IsAbsent(value)) String(value, name);
                return;
            case "metadata":
                if (!IsAbsent(value)) OnlyStrings(Object(value, name), name);
                return;
            case "store":
                if (!IsAbsent(value) && Bool(value, name)) throw Refuse(OpenAiError.Unsupported(name, "The router does not store chat completions; send 'store': false or leave it out."));
                return;
            case "n":
                if (!IsAbsent(value) && Integer(value, name, 1, 128) != 1) throw Refuse(OpenAiError.Unsupported(name, "Only one choice per request is supported ('n': 1)."));
                return;
            case "logprobs":
                if (!IsAbsent(value) && Bool(value, name)) throw Refuse(OpenAiError.Unsupported(name, "Log probabilities are not supported."));
                return;
            case "top_logprobs":
                if (!IsAbsent(value) && Integer(value, name, 0, 20) != 0) throw Refuse(OpenAiError.Unsupported(name, "Log probabilities are not supported."));
                return;
            case "logit_bias":
                if (!IsAbsent(value) && Object(value, name).EnumerateObject().Any()) throw Refuse(OpenAiError.Unsupported(name, "'logit_bias' cannot be passed to the backends."));
                return;
            case "parallel_tool_calls":
                // The backends decide how many calls to make; a limit of one could not be kept.
                if (!IsAbsent(value) && !Bool(value, name)) throw Refuse(OpenAiError.Unsupported(name, "'parallel_tool_calls': false cannot be enforced; leave it out or send true."));
                return;
            case "modalities":
                if (IsAbsent(value)) return;
                foreach (var modality in Array(value, name).EnumerateArray())
                {
                    if (String(modality, name) != "text") throw Refuse(OpenAiError.Unsupported(name, "Only text output is supported ('modalities': [\"text\"])."));
                }

                return;
            case "service_tier":
                if (!IsAbsent(value) && String(value, name) is not ("auto" or "default")) throw Refuse(OpenAiError.Unsupported(name, "Only the 'auto' and 'default' service tiers are accepted."));
                return;
            case "verbosity":
                if (!IsAbsent(value) && String(value, name) != "medium") throw Refuse(OpenAiError.Unsupported(name, "'verbosity' cannot be passed to the backends (only the default, medium, is accepted)."));
                return;
            case "audio" or "prediction" or "web_search_options":
                if (!IsAbsent(value)) throw Refuse(OpenAiError.Unsupported(name, $"'{name}' is not supported by this router."));
                return;
            case "functions" or "function_call":
                if (!IsAbsent(value)) throw Refuse(OpenAiError.Unsupported(name, $"The legacy '{name}' is not supported; use 'tools' and 'tool_choice'."));
                return;
            default:
                throw Refuse(OpenAiError.Invalid($"Unknown parameter: '{name}'.", name, "unknown_parameter"));
        }
    }

    private static void OnlyStrings(JsonElement obj, string path)
    {
        foreach (var member in obj.EnumerateObject()) String(member.Value, $"{path}.{member.Name}");
    }
}
