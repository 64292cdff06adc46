using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>
/// Reads an Anthropic Messages body. Every field is either carried to the model, mapped onto what the
/// router can do, or refused with a 400 naming it: nothing is dropped in silence.
/// </summary>
internal static class AnthropicRequestReader
{
    private static readonly HashSet<string> MessageFields =
    [
        "model", "max_tokens", "messages", "system", "tools", "tool_choice", "temperature", "top_p", "top_k",
        "stop_sequences", "thinking", "metadata", "stream", "service_tier", "output_config", "cache_control",
    ];

    private static readonly HashSet<string> CountFields = ["model", "messages", "system", "tools", "tool_choice", "thinking", "output_config", "cache_control"];

    /// <summary>A <c>POST /v1/messages</c> body.</summary>
    public static (MessagesRequest?, AnthropicError?) ParseMessages(JsonElement root) => Parse(root, counting: false);

    /// <summary>A <c>POST /v1/messages/count_tokens</c> body: the same, without the generation's settings.</summary>
    public static (MessagesRequest?, AnthropicError?) ParseCount(JsonElement root) => Parse(root, counting: true);

    private static (MessagesRequest?, AnthropicError?) Parse(JsonElement root, bool counting)
    {
        try
        {
            return (Read(root, counting), null);
        }
        catch (BadRequest bad)
        {
            return (null, AnthropicError.Invalid(bad.Message));
        }
    }

    private static MessagesRequest Read(JsonElement root, bool counting)
    {
        Fields.Only(root, "", counting ? CountFields : MessageFields);
        var model = Fields.String(root, "model", required: true)!;
        if (string.IsNullOrWhiteSpace(model)) throw new BadRequest("model: must name a model (a served model, an alias, or \"auto\")");

        int? maxTokens = counting ? null : Fields.Int(root, "max_tokens", required: true, min: 1);
        var temperature = Fields.Number(root, "temperature", 0, 1);
        var topP = Fields.Number(root, "top_p", 0, 1);
        var topK = Fields.Int(root, "top_k", required: false, min: 0);
        var stop = StopSequences(root);
        var stream = Fields.Bool(root, "stream") ?? false;
        Metadata(root);
        if (Fields.TryGet(root, "cache_control", out var cache) && cache.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequest("cache_control: must be an object");
        }

        if (Fields.String(root, "service_tier", required: false) is { } tier && tier is not ("auto" or "standard_only"))
        {
            throw new BadRequest("service_tier: must be \"auto\" or \"standard_only\"");
        }

        var (reasoning, omitThinking) = Thinking(root);
        var (effort, format) = OutputConfig(root);
        if (effort is not null && reasoning != "off") reasoning = effort;

        var system = SystemMessage(root);
        var (messages, routingText) = AnthropicContentReader.Messages(root);
        var tools = AnthropicToolReader.Tools(root);
        var choice = AnthropicToolReader.Choice(root, tools);
        var input = new ModelInput(system is null ? messages : [system, .. messages], tools, choice, format);
        var settings = new GenerationSettings(temperature, topP, maxTokens, stop, TopK: topK, Reasoning: reasoning);
        return new MessagesRequest(model, input, settings, routingText, stream, omitThinking);
    }

    private static IReadOnlyList<string>? StopSequences(JsonElement root)
    {
        if (!Fields.TryGet(root, "stop_sequences", out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array) throw new BadRequest("stop_sequences: must be an array of strings");
        var stop = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(item.GetString()))
            {
                throw new BadRequest($"stop_sequences.{i}: must be a non-empty string");
            }

            stop.Add(item.GetString()!);
            i++;
        }

        return stop.Count == 0 ? null : stop;
    }

    private static void Metadata(JsonElement root)
    {
        if (!Fields.TryGet(root, "metadata", out var metadata)) return;
        if (metadata.ValueKind != JsonValueKind.Object) throw new BadRequest("metadata: must be an object");
        Fields.Only(metadata, "metadata.", ["user_id"]);

        // Anthropic's user_id serves its abuse detection; the router names users by their key instead.
        Fields.String(metadata, "user_id", required: false, path: "metadata.user_id");
    }

    /// <summary><c>thinking</c>: <c>enabled</c> → on, <c>disabled</c> → off, <c>adaptive</c> → the model's default.</summary>
    private static (string? Reasoning, bool Omit) Thinking(JsonElement root)
    {
        if (!Fields.TryGet(root, "thinking", out var thinking)) return (null, false);
        if (thinking.ValueKind != JsonValueKind.Object) throw new BadRequest("thinking: must be an object");
        var type = Fields.String(thinking, "type", required: true, path: "thinking.type");
        switch (type)
        {
            case "enabled":
                Fields.Only(thinking, "thinking.", ["type", "budget_tokens", "display"]);
                Fields.Int(thinking, "budget_tokens", required: true, min: 1, path: "thinking.budget_tokens");
                return ("on", Display(thinking));
            case "adaptive":
                Fields.Only(thinking, "thinking.", ["type", "display"]);
                return (null, Display(thinking));
            case "disabled":
                Fields.Only(thinking, "thinking.", ["type"]);
                return ("off", false);
            default:
                throw new BadRequest($"thinking.type: must be \"enabled\", \"adaptive\" or \"disabled\" (was \"{type}\")");
        }
    }

    private static bool Display(JsonElement thinking) => Fields.String(thinking, "display", required: false, path: "thinking.display") switch
    {
        null or "summarized" => false,
        "omitted" => true,
        var other => throw new BadRequest($"thinking.display: must be \"summarized\" or \"omitted\" (was \"{other}\")"),
    };

    /// <summary><c>output_config</c>: <c>effort</c> sets the reasoning effort; <c>format</c> a JSON schema for the answer.</summary>
    private static (string? Effort, OutputFormat? Format) OutputConfig(JsonElement root)
    {
        if (!Fields.TryGet(root, "output_config", out var config)) return (null, null);
        if (config.ValueKind != JsonValueKind.Object) throw new BadRequest("output_config: must be an object");
        Fields.Only(config, "output_config.", ["effort", "format"]);
        var effort = Fields.String(config, "effort", required: false, path: "output_config.effort") switch
        {
            null => null,
            "low" or "medium" or "high" => (string?)config.GetProperty("effort").GetString(),
            // The backends' highest effort is "high".
            "max" => "high",
            var other => throw new BadRequest($"output_config.effort: must be \"low\", \"medium\", \"high\" or \"max\" (was \"{other}\")"),
        };

        OutputFormat? format = null;
        if (Fields.TryGet(config, "format", out var f))
        {
            if (f.ValueKind != JsonValueKind.Object) throw new BadRequest("output_config.format: must be an object");
            Fields.Only(f, "output_config.format.", ["type", "schema"]);
            var type = Fields.String(f, "type", required: true, path: "output_config.format.type");
            if (type != "json_schema") throw new BadRequest($"output_config.format.type: must be \"json_schema\" (was \"{type}\")");
            if (!f.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                throw new BadRequest("output_config.format.schema: must be a JSON schema object");
            }

            format = new OutputFormat(OutputFormat.JsonSchema, schema.GetRawText());
        }

        return (effort, format);
    }

    /// <summary><c>system</c>: a string, or text blocks (each a paragraph of the one system message).</summary>
    private static ConversationMessage? SystemMessage(JsonElement root)
    {
        if (!Fields.TryGet(root, "system", out var system)) return null;
        if (system.ValueKind == JsonValueKind.String)
        {
            return string.IsNullOrEmpty(system.GetString()) ? null : ConversationMessage.FromText("system", system.GetString()!);
        }

        if (system.ValueKind != JsonValueKind.Array) throw new BadRequest("system: must be a string or an array of text blocks");
        var parts = new List<MessagePart>();
        var i = 0;
        foreach (var block in system.EnumerateArray())
        {
            var path = $"system.{i++}";
            if (block.ValueKind != JsonValueKind.Object || Fields.String(block, "type", required: true, path: path + ".type") != "text")
            {
                throw new BadRequest($"{path}: must be a text block ({{\"type\": \"text\", \"text\": …}})");
            }

            parts.Add(MessagePart.FromText(AnthropicContentReader.TextOf(block, path)));
        }

        return parts.Count == 0 ? null : new ConversationMessage("system", parts);
    }
}

/// <summary>A client's mistake in the body; the message names the field (Anthropic's dotted path).</summary>
internal sealed class BadRequest(string message) : Exception(message);
