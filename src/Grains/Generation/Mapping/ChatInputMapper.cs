using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Router.Grains.Interfaces;
using OllamaChat = OllamaSharp.Models.Chat;
using OllamaRequestOptions = OllamaSharp.Models.RequestOptions;

namespace Router.Grains.Generation.Mapping;

/// <summary>
/// Turns what a generation was asked for into what a backend client takes: Microsoft.Extensions.AI's
/// messages and options for OpenAI-compatible upstreams, and for Ollama an OllamaSharp request built
/// whole (through <see cref="ChatOptions.RawRepresentationFactory"/>), because OllamaSharp's own mapping
/// of the abstractions rewrites tool results and loses their tool names.
/// </summary>
internal static class ChatInputMapper
{
    /// <summary>The messages to hand the backend client (empty for Ollama, whose messages travel in the raw request).</summary>
    public static IList<ChatMessage> Messages(CompletionJobSpec spec, BackendKind kind)
    {
        if (kind == BackendKind.Ollama) return [];
        if (spec.Input is { } input) return input.Messages.Select(ToChatMessage).ToList();

        var messages = new List<ChatMessage>(spec.History.Count + 1);
        foreach (var turn in spec.History) messages.Add(new ChatMessage(new ChatRole(turn.Role), turn.Content));
        messages.Add(new ChatMessage(ChatRole.User, spec.Message));
        return messages;
    }

    public static ChatOptions Options(CompletionJobSpec spec, BackendKind kind)
    {
        var options = new ChatOptions { ModelId = spec.Model };
        if (kind == BackendKind.Ollama)
        {
            // Everything is in the raw request; a new one per call, since a failover may call again.
            options.RawRepresentationFactory = _ => OllamaRequest(spec);
            return options;
        }

        if (spec.Settings is { } s)
        {
            options.Temperature = s.Temperature;
            options.TopP = s.TopP;
            options.TopK = s.TopK;
            options.MaxOutputTokens = s.MaxTokens;
            options.Seed = s.Seed;
            options.FrequencyPenalty = s.FrequencyPenalty;
            options.PresencePenalty = s.PresencePenalty;
            // Stop sequences stay with the router (StopSequenceMatcher): a backend would not say which one matched.
            if (ReasoningEffortOf(s.Reasoning) is { } effort) options.Reasoning = new ReasoningOptions { Effort = effort };
        }

        if (spec.Input is { Tools.Count: > 0 } or { Format: not null })
        {
            // Tools, tool choice and format go to an upstream as the client sent them, in the OpenAI
            // client's own options: Microsoft.Extensions.AI's mapping would rewrite their schemas
            // (closing objects, making every property required) for strict mode.
            var input = spec.Input;
            options.RawRepresentationFactory = _ => UpstreamOptions(input);
        }

        return options;
    }

    private static OpenAI.Chat.ChatCompletionOptions UpstreamOptions(ModelInput input)
    {
        var raw = new OpenAI.Chat.ChatCompletionOptions();
        foreach (var tool in input.Tools ?? [])
        {
            raw.Tools.Add(OpenAI.Chat.ChatTool.CreateFunctionTool(tool.Name, tool.Description,
                BinaryData.FromString(tool.Parameters ?? """{"type":"object","properties":{}}"""), tool.Strict));
        }

        if (raw.Tools.Count > 0)
        {
            raw.ToolChoice = input.ToolChoice?.Mode switch
            {
                ToolChoice.None => OpenAI.Chat.ChatToolChoice.CreateNoneChoice(),
                ToolChoice.Required => OpenAI.Chat.ChatToolChoice.CreateRequiredChoice(),
                ToolChoice.Function => OpenAI.Chat.ChatToolChoice.CreateFunctionChoice(input.ToolChoice.Name!),
                _ => OpenAI.Chat.ChatToolChoice.CreateAutoChoice(),
            };
        }

        raw.ResponseFormat = input.Format switch
        {
            { Kind: OutputFormat.JsonSchema, Schema: { } schema } f =>
                OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(f.Name ?? "response", BinaryData.FromString(schema), f.Description, f.Strict),
            { Kind: OutputFormat.Json } => OpenAI.Chat.ChatResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };
        return raw;
    }

    private static ChatMessage ToChatMessage(ConversationMessage message)
    {
        var contents = new List<AIContent>(message.Parts.Count);
        foreach (var part in message.Parts)
        {
            switch (part.Kind)
            {
                case PartKind.Text:
                    contents.Add(new TextContent(part.Text));
                    break;
                case PartKind.Reasoning:
                    contents.Add(new TextReasoningContent(part.Text));
                    break;
                case PartKind.Image when part.Data is { } data:
                    contents.Add(new DataContent(data, part.MediaType ?? "image/png"));
                    break;
                case PartKind.Image:
                    contents.Add(new UriContent(part.Uri!, part.MediaType ?? "image/*"));
                    break;
                case PartKind.ToolCall:
                    contents.Add(new FunctionCallContent(part.CallId ?? "", part.Name ?? "", ArgumentsOf(part.Arguments)));
                    break;
                case PartKind.ToolResult:
                    contents.Add(new FunctionResultContent(part.CallId ?? part.Name ?? "", part.Text ?? ""));
                    break;
            }
        }

        return new ChatMessage(new ChatRole(message.Role), contents);
    }

    private static OllamaChat.ChatRequest OllamaRequest(CompletionJobSpec spec)
    {
        var request = new OllamaChat.ChatRequest { Model = spec.Model };
        var s = spec.Settings;
        var options = s?.BackendOptions is { Count: > 0 } extra
            ? JsonSerializer.Deserialize<OllamaRequestOptions>(BackendOptionsJson(extra)) ?? new OllamaRequestOptions()
            : new OllamaRequestOptions();
        if (s is not null)
        {
            options.Temperature = s.Temperature ?? options.Temperature;
            options.TopP = s.TopP ?? options.TopP;
            options.TopK = s.TopK ?? options.TopK;
            options.NumPredict = s.MaxTokens ?? options.NumPredict;
            options.Seed = s.Seed is { } seed ? (int)seed : options.Seed;
            options.FrequencyPenalty = s.FrequencyPenalty ?? options.FrequencyPenalty;
            options.PresencePenalty = s.PresencePenalty ?? options.PresencePenalty;
            // Stop sequences stay with the router (StopSequenceMatcher), as for upstreams.
            request.KeepAlive = s.KeepAlive;
            if (s.Reasoning is { } reasoning)
            {
                request.Think = reasoning switch
                {
                    "off" => new OllamaChat.ThinkValue(false),
                    "on" => new OllamaChat.ThinkValue(true),
                    var effort => new OllamaChat.ThinkValue(effort),
                };
            }
        }

        request.Options = options;
        if (spec.Input is { } input)
        {
            request.Messages = input.Messages.Select(ToOllamaMessage).ToList();
            if (input.Tools is { Count: > 0 } offered && input.ToolChoice?.Mode != ToolChoice.None)
            {
                // Ollama has no tool choice: a named function (or the one tool a 'required' choice
                // leaves; more than one is refused before this) is honoured by offering it alone.
                var tools = input.ToolChoice is { Mode: ToolChoice.Function, Name: { } only }
                    ? offered.Where(t => t.Name == only).ToList()
                    : offered;
                request.Tools = tools.Select(t => (object)new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = t.Name,
                        ["description"] = t.Description,
                        ["parameters"] = t.Parameters is null ? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() } : JsonNode.Parse(t.Parameters),
                    },
                }).ToList();
            }

            request.Format = input.Format switch
            {
                { Kind: OutputFormat.JsonSchema, Schema: { } schema } => JsonDocument.Parse(schema).RootElement.Clone(),
                { Kind: OutputFormat.Json } => "json",
                _ => null,
            };
        }
        else
        {
            var messages = new List<OllamaChat.Message>(spec.History.Count + 1);
            foreach (var turn in spec.History) messages.Add(new OllamaChat.Message { Role = new OllamaChat.ChatRole(turn.Role), Content = turn.Content });
            messages.Add(new OllamaChat.Message { Role = OllamaChat.ChatRole.User, Content = spec.Message });
            request.Messages = messages;
        }

        return request;
    }

    private static OllamaChat.Message ToOllamaMessage(ConversationMessage message)
    {
        var result = new OllamaChat.Message { Role = new OllamaChat.ChatRole(message.Role) };
        List<string>? images = null;
        List<OllamaChat.Message.ToolCall>? calls = null;
        string? text = null;
        string? thinking = null;
        foreach (var part in message.Parts)
        {
            switch (part.Kind)
            {
                case PartKind.Text:
                    text = text is null ? part.Text : text + "\n" + part.Text;
                    break;
                case PartKind.Reasoning:
                    thinking += part.Text;
                    break;
                case PartKind.Image:
                    (images ??= []).Add(Convert.ToBase64String(part.Data ?? []));
                    break;
                case PartKind.ToolCall:
                    (calls ??= []).Add(new OllamaChat.Message.ToolCall
                    {
                        Id = part.CallId,
                        Function = new OllamaChat.Message.Function { Name = part.Name, Arguments = ArgumentsOf(part.Arguments) },
                    });
                    break;
                case PartKind.ToolResult:
                    text = part.Text;
                    result.ToolName = part.Name;
                    break;
            }
        }

        result.Content = text ?? "";
        result.Thinking = thinking;
        result.Images = images?.ToArray();
        result.ToolCalls = calls;
        return result;
    }

    /// <summary>A tool call's arguments as the dictionary both clients take; the values stay JSON elements.</summary>
    private static Dictionary<string, object?> ArgumentsOf(string? json)
    {
        var arguments = new Dictionary<string, object?>();
        if (string.IsNullOrWhiteSpace(json)) return arguments;
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return arguments;
        foreach (var property in document.RootElement.EnumerateObject()) arguments[property.Name] = property.Value.Clone();
        return arguments;
    }

    private static string BackendOptionsJson(IReadOnlyDictionary<string, string> options)
    {
        var json = new JsonObject();
        foreach (var (name, value) in options) json[name] = JsonNode.Parse(value);
        return json.ToJsonString();
    }

    private static ReasoningEffort? ReasoningEffortOf(string? reasoning) => reasoning switch
    {
        "off" => ReasoningEffort.None,
        "low" => ReasoningEffort.Low,
        "on" or "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        _ => null,
    };
}
