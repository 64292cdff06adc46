using System.Text.Json;
using Router.Grains.Interfaces;

namespace Router.WebFront.Surfaces.Anthropic;

/// <summary>Reads <c>tools</c> (client tools with an <c>input_schema</c>) and <c>tool_choice</c>.</summary>
internal static class AnthropicToolReader
{
    private static readonly HashSet<string> ToolFields = ["type", "name", "description", "input_schema", "cache_control", "strict"];
    private static readonly HashSet<string> ChoiceFields = ["type", "name", "disable_parallel_tool_use"];

    public static IReadOnlyList<ToolDefinition>? Tools(JsonElement root)
    {
        if (!Fields.TryGet(root, "tools", out var tools)) return null;
        if (tools.ValueKind != JsonValueKind.Array) throw new BadRequest("tools: must be an array of tool definitions");
        var result = new List<ToolDefinition>();
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools.{i++}";
            if (tool.ValueKind != JsonValueKind.Object) throw new BadRequest($"{path}: must be an object");
            var type = Fields.String(tool, "type", required: false, path: path + ".type");
            if (type is not (null or "custom"))
            {
                // Server tools (web search, code execution, computer use…) run at Anthropic; the router has none.
                throw new BadRequest($"{path}.type: \"{type}\" is a server tool, which this router cannot run; only client tools (with input_schema) are supported");
            }

            Fields.Only(tool, path + ".", ToolFields);
            if (Fields.TryGet(tool, "cache_control", out var cache) && cache.ValueKind != JsonValueKind.Object)
            {
                throw new BadRequest($"{path}.cache_control: must be an object");
            }

            var name = Fields.String(tool, "name", required: true, path: path + ".name")!;
            if (string.IsNullOrWhiteSpace(name)) throw new BadRequest($"{path}.name: must not be empty");
            if (!Fields.TryGet(tool, "input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                throw new BadRequest($"{path}.input_schema: Field required (a JSON schema object)");
            }

            result.Add(new ToolDefinition(name, Fields.String(tool, "description", required: false, path: path + ".description"),
                schema.GetRawText(), Fields.Bool(tool, "strict", path + ".strict")));
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary><c>auto</c> → auto, <c>any</c> → required, <c>tool</c> → that function, <c>none</c> → none.</summary>
    public static ToolChoice? Choice(JsonElement root, IReadOnlyList<ToolDefinition>? tools)
    {
        if (!Fields.TryGet(root, "tool_choice", out var choice)) return null;
        if (choice.ValueKind != JsonValueKind.Object) throw new BadRequest("tool_choice: must be an object with a \"type\"");
        Fields.Only(choice, "tool_choice.", ChoiceFields);
        if (Fields.Bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use") == true)
        {
            // The backends take no such switch; a model may still answer several calls at once.
            throw new BadRequest("tool_choice.disable_parallel_tool_use: true is not supported (the router's backends cannot be held to one tool call)");
        }

        var type = Fields.String(choice, "type", required: true, path: "tool_choice.type");
        var name = Fields.String(choice, "name", required: false, path: "tool_choice.name");
        if (type != "tool" && name is not null) throw new BadRequest($"tool_choice.name: only allowed with type \"tool\"");
        if (type is "any" or "tool" && tools is null) throw new BadRequest($"tool_choice: type \"{type}\" needs tools");
        return type switch
        {
            "auto" => new ToolChoice(ToolChoice.Auto),
            "any" => new ToolChoice(ToolChoice.Required),
            "none" => new ToolChoice(ToolChoice.None),
            "tool" when name is null => throw new BadRequest("tool_choice.name: Field required with type \"tool\""),
            "tool" when !tools!.Any(t => t.Name == name) => throw new BadRequest($"tool_choice.name: no tool named \"{name}\" is offered"),
            "tool" => new ToolChoice(ToolChoice.Function, name),
            _ => throw new BadRequest($"tool_choice.type: must be \"auto\", \"any\", \"tool\" or \"none\" (was \"{type}\")"),
        };
    }
}
